"""Replication delay through the SDK's v3 client: it grows while a job is paused, drains after the resume at the
scenario's rate down to the job's floor, and batch-progress reports it per job."""
import time

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkdrs.v3 import (
    BatchListProgressesRequest, BatchPauseJobReq, BatchQueryProgressReq, BatchRestoreTaskRequest, BatchRetryReq,
    BatchStopJobsRequest, DrsClient, PauseInfo, RetryInfo,
)

from hwc_emulator.conformance.common import DELAY

LIVE, LAGGING = "d1111111-1111-4111-8111-111111111111", "d2222222-2222-4222-8222-222222222222"
JOBS = [{"id": LIVE, "name": "live", "status": "INCRE_TRANSFER_STARTED", "delay_ms": 3000},
        {"id": LAGGING, "name": "lagging", "status": "INCRE_TRANSFER_STARTED", "delay_ms": 900000,
         "delay_floor_ms": 600000}]


@pytest.fixture
def drs(emu):
    emu.admin("POST", "reset", {"scenario": {"delays": {"drs": DELAY}, "drs": {
        "delay_drain_ms_per_s": 10000, "jobs": JOBS}}})
    return emu.sdk(DrsClient)


def delays(drs, *ids):
    answer = drs.batch_list_progresses(BatchListProgressesRequest(body=BatchQueryProgressReq(jobs=list(ids))))
    return dict((r.job_id, int(r.incre_trans_delay_millis)) for r in answer.results)


def test_a_replicating_job_drains_to_its_floor(drs):
    first = delays(drs, LIVE, LAGGING)
    assert first[LIVE] <= 3000 and first[LAGGING] <= 900000
    time.sleep(0.5)
    later = delays(drs, LIVE, LAGGING)
    assert later[LIVE] == 0 and 600000 <= later[LAGGING] <= first[LAGGING] - 4000


def test_a_paused_job_falls_behind_and_catches_up_after_the_resume(emu, drs):
    time.sleep(0.4)  # caught up
    drs.batch_stop_jobs(BatchStopJobsRequest(body=BatchPauseJobReq(jobs=[PauseInfo(job_id=LIVE, pause_mode="target")])))
    time.sleep(DELAY + 1.0)
    behind = delays(drs, LIVE)[LIVE]
    assert 900 <= behind <= 1500  # about a second of changes since it paused
    drs.batch_restore_task(BatchRestoreTaskRequest(body=BatchRetryReq(jobs=[RetryInfo(job_id=LIVE)])))
    time.sleep(DELAY + 0.3)
    assert delays(drs, LIVE)[LIVE] < behind


def test_progress_of_an_unknown_job_and_of_too_many(drs):
    answer = drs.batch_list_progresses(BatchListProgressesRequest(body=BatchQueryProgressReq(
        jobs=["99999999-9999-4999-8999-999999999999"])))
    assert answer.results[0].error_code == "DRS.10000010"
    with pytest.raises(ClientRequestException):
        drs.batch_list_progresses(BatchListProgressesRequest(body=BatchQueryProgressReq(jobs=[LIVE] * 0)))
