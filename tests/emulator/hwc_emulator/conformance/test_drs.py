"""DRS v3 through the official SDK (AK/SK and token): start, pause, resume/retry, status, detail, listing."""
import time

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkdrs.v3 import (
    BatchListJobDetailsRequest, BatchListJobStatusRequest, BatchPauseJobReq, BatchQueryJobReqPage,
    BatchRestoreTaskRequest, BatchRetryReq, BatchStartJobReq, BatchStartJobsRequest, BatchStopJobsRequest, DrsClient,
    PageReq, PauseInfo, QueryJobsReq, RetryInfo, ShowJobListRequest, StartInfo,
)

from hwc_emulator.conformance.common import DELAY, DRS_JOBS, PROJECT
from hwc_emulator.drs import STATUSES as DRS_STATUSES

CFG, INCR, FULL, PAUSED, FAILED, STARTFAIL, SAMPLE = [j["id"] for j in DRS_JOBS]
UNKNOWN = "99999999-9999-4999-8999-999999999999"


@pytest.fixture(params=["aksk", "token"])
def drs(request, emu):
    return emu.sdk(DrsClient, token=emu.token() if request.param == "token" else None)


def start(drs, *ids, start_time=None):
    return drs.batch_start_jobs(BatchStartJobsRequest(body=BatchStartJobReq(
        jobs=[StartInfo(job_id=i, start_time=start_time) for i in ids])))


def pause(drs, *ids, mode="target"):
    return drs.batch_stop_jobs(BatchStopJobsRequest(body=BatchPauseJobReq(
        jobs=[PauseInfo(job_id=i, pause_mode=mode) for i in ids])))


def retry(drs, *ids):
    return drs.batch_restore_task(BatchRestoreTaskRequest(body=BatchRetryReq(jobs=[RetryInfo(job_id=i) for i in ids])))


def status(drs, *ids, per_page=0, cur_page=1):
    response = drs.batch_list_job_status(BatchListJobStatusRequest(body=BatchQueryJobReqPage(
        jobs=list(ids), page_req=PageReq(cur_page=cur_page, per_page=per_page))))
    return {r.id: r.status for r in response.results}


@pytest.fixture
def drs_aksk(emu):
    return emu.sdk(DrsClient)


def wait_for(emu, job_id, expected, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if emu.item(job_id)["status"] == expected:
            return
        time.sleep(0.05)
    raise AssertionError("%s stayed %s, expected %s" % (job_id, emu.item(job_id)["status"], expected))


def test_start_runs_through_intermediate_statuses(emu, drs):
    result = start(drs, CFG)
    assert result.count == 1 and result.results[0].status == "success"
    seen = set()
    deadline = time.time() + 3
    while time.time() < deadline and emu.item(CFG)["status"] != "INCRE_TRANSFER_STARTED":
        seen.add(status(drs, CFG)[CFG])
        time.sleep(0.03)
    assert {"STARTJOBING", "FULL_TRANSFER_STARTED"} <= seen
    assert emu.item(CFG)["status"] == "INCRE_TRANSFER_STARTED"


def test_full_only_job_completes(emu, drs):
    pause(drs, FULL)
    wait_for(emu, FULL, "PAUSING")
    retry(drs, FULL)
    wait_for(emu, FULL, "FULL_TRANSFER_STARTED")


def test_scheduled_start_waits(emu, drs):
    start_ms = str(int((time.time() + 3600) * 1000))
    assert start(drs, CFG, start_time=start_ms).results[0].status == "success"
    assert emu.item(CFG)["status"] == "WAITING_FOR_START"
    emu.admin("POST", "clock", {"advance": 3600 + 3 * DELAY})
    assert emu.item(CFG)["status"] == "INCRE_TRANSFER_STARTED"


@pytest.mark.parametrize("mode", ["target", "all"])
def test_pause_and_resume_restore_the_previous_status(emu, drs, mode):
    assert pause(drs, INCR, SAMPLE, mode=mode).results[0].status == "success"
    wait_for(emu, INCR, "PAUSING")
    assert emu.item(INCR)["pause_mode"] == mode
    assert all(r.status == "success" for r in retry(drs, INCR, SAMPLE).results)
    wait_for(emu, INCR, "INCRE_TRANSFER_STARTED")


def test_retry_failed_jobs(emu, drs):
    retry(drs, FAILED, STARTFAIL)
    wait_for(emu, FAILED, "INCRE_TRANSFER_STARTED")
    wait_for(emu, STARTFAIL, "INCRE_TRANSFER_STARTED")


@pytest.mark.parametrize("state", sorted(set(DRS_STATUSES) - {"CONFIGURATION", "WAITING_FOR_START"}))
def test_start_is_refused_per_item_outside_configuration(emu, drs_aksk, state):
    drs = drs_aksk
    emu.admin("PATCH", "items/" + CFG, {"status": state})
    result = start(drs, CFG).results[0]
    assert (result.status, result.error_code) == ("failed", "DRS.M01504")
    assert state in result.error_msg


PAUSABLE = {"FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE"}


@pytest.mark.parametrize("state", sorted(set(DRS_STATUSES) - PAUSABLE))
def test_pause_is_refused_unless_transferring(emu, drs_aksk, state):
    drs = drs_aksk
    emu.admin("PATCH", "items/" + INCR, {"status": state})
    assert pause(drs, INCR).results[0].error_code == "DRS.M01504"


@pytest.mark.parametrize("state", ["CONFIGURATION", "CREATE_FAILED", "RELEASE_RESOURCE_COMPLETE", "DELETED",
                                   "INCRE_TRANSFER_STARTED"])
def test_retry_is_refused_unless_paused_or_failed(emu, drs_aksk, state):
    drs = drs_aksk
    emu.admin("PATCH", "items/" + INCR, {"status": state})
    assert retry(drs, INCR).results[0].error_code == "DRS.M01504"


def test_busy_job_refuses_a_second_action(emu, drs):
    pause(drs, INCR)
    second = retry(drs, INCR).results[0]
    assert (second.status, second.error_code) == ("failed", "DRS.M01504")


def test_unknown_and_malformed_ids(drs):
    result = pause(drs, INCR, UNKNOWN)
    assert [r.status for r in result.results] == ["success", "failed"]
    assert result.results[1].error_code == "DRS.10000010"
    with pytest.raises(ClientRequestException) as info:
        pause(drs, "not-a-uuid")
    assert (info.value.status_code, info.value.error_code) == (400, "DRS.M00202")
    with pytest.raises(ClientRequestException) as info:
        retry(drs)
    assert info.value.error_code == "DRS.M00201"


def test_pause_mode_is_required(emu):
    response = emu.signed("POST", "/v3/%s/jobs/batch-pause-task" % PROJECT, body=b'{"jobs":[{"job_id":"%s"}]}'
                          % INCR.encode())
    assert (response.status_code, response.json()["error_code"]) == (400, "DRS.M00200")


def test_batch_status_paging_and_error_message_field(emu, drs):
    ids = [j["id"] for j in DRS_JOBS]
    assert len(status(drs, *ids)) == 7
    assert list(status(drs, *ids, per_page=3, cur_page=3)) == ids[6:]
    camel = emu.signed("POST", "/v3/%s/jobs/batch-status" % PROJECT,
                       body=('{"jobs":["%s","%s"],"pageReq":{"cur_page":1,"per_page":0}}' % (INCR, UNKNOWN)).encode())
    results = camel.json()["results"]
    assert results[1]["error_code"] == "DRS.10000010" and "error_message" in results[1]
    assert "error_msg" not in results[1]
    for page, code in (({"cur_page": 1, "per_page": 101}, "DRS.M00211"), ({"cur_page": 2, "per_page": 0}, "DRS.M00210")):
        with pytest.raises(ClientRequestException) as info:
            status(drs, INCR, **page)
        assert info.value.error_code == code


def test_batch_detail_models(drs):
    response = drs.batch_list_job_details(BatchListJobDetailsRequest(body=BatchQueryJobReqPage(
        jobs=[INCR, FAILED], page_req=PageReq(cur_page=1, per_page=0))))
    assert response.count == 2
    assert [(r.name, r.status, r.task_type) for r in response.results] == [
        ("incr-job", "INCRE_TRANSFER_STARTED", "FULL_INCR_TRANS"),
        ("failed-job", "INCRE_TRANSFER_FAILED", "FULL_INCR_TRANS")]


def test_job_listing(drs):
    listing = drs.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=5)))
    assert listing.total_record == 7 and len(listing.jobs) == 5
    by_name = drs.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=10, name="paused-job")))
    assert [j.id for j in by_name.jobs] == [PAUSED]
    by_ids = drs.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=10, name=INCR + "," + CFG)))
    assert sorted(j.id for j in by_ids.jobs) == sorted([INCR, CFG])
    by_status = drs.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=10, status="PAUSING")))
    assert [j.id for j in by_status.jobs] == [PAUSED]


def test_all_29_statuses_are_known():
    assert len(DRS_STATUSES) == 29 and len(set(DRS_STATUSES)) == 29


def listed(drs, name):
    response = drs.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=10, name=name)))
    return response.jobs[0]


def test_the_listing_carries_each_jobs_action_lists(emu, drs):
    cases = {"incr-job": ["PAUSE"], "cfg-job": ["START"], "paused-job": ["RETRY"], "failed-job": ["RETRY", "RESET"]}
    for name, available in cases.items():
        assert listed(drs, name).job_action.available_actions == available, name
    pause(drs, INCR)
    busy = listed(drs, "incr-job").job_action
    assert busy.available_actions == [] and busy.current_action == "PAUSE"


@pytest.mark.parametrize("task_type,allowed", [("FULL_INCR_TRANS", True), ("FULL_TRANS", False)])
def test_full_transfer_complete_is_a_stage_that_can_be_paused_before_incremental(emu, drs_aksk, task_type, allowed):
    emu.admin("PATCH", "items/" + INCR, {"status": "FULL_TRANSFER_COMPLETE", "task_type": task_type})
    result = pause(drs_aksk, INCR).results[0]
    assert (result.status == "success") is allowed
    if allowed:
        wait_for(emu, INCR, "PAUSING")
        retry(drs_aksk, INCR)
        wait_for(emu, INCR, "INCRE_TRANSFER_STARTED", timeout=10)


def test_a_full_and_incremental_start_passes_through_full_transfer_complete(emu, drs_aksk):
    start(drs_aksk, CFG)
    wait_for(emu, CFG, "FULL_TRANSFER_COMPLETE", timeout=10)
    wait_for(emu, CFG, "INCRE_TRANSFER_STARTED", timeout=10)


DUAL = {"id": "77777777-7777-4777-8777-777777777777", "name": "dual-parent", "status": "INCRE_TRANSFER_STARTED",
        "children": [{"id": "77777777-7777-4777-8777-7777777777a1", "name": "dual-forward",
                      "status": "INCRE_TRANSFER_STARTED"},
                     {"id": "77777777-7777-4777-8777-7777777777a2", "name": "dual-backward",
                      "status": "INCRE_TRANSFER_STARTED"}]}


def test_dual_active_children_are_nested_and_the_parent_refuses_actions(emu, drs_aksk):
    emu.admin("POST", "reset", {"scenario": {"drs": {"jobs": [DUAL]}}})
    listing = drs_aksk.show_job_list(ShowJobListRequest(body=QueryJobsReq(cur_page=1, per_page=10)))
    assert [j.name for j in listing.jobs] == ["dual-parent"] and listing.total_record == 1
    assert [c.name for c in listing.jobs[0].children] == ["dual-forward", "dual-backward"]
    assert listing.jobs[0].job_action.available_actions == ["DELETE"]
    assert listing.jobs[0].children[0].job_action.available_actions == ["PAUSE"]
    assert pause(drs_aksk, DUAL["id"]).results[0].error_code == "DRS.M01504"
    assert pause(drs_aksk, DUAL["children"][0]["id"]).results[0].status == "success"


@pytest.mark.parametrize("switch,allowed", [("refuse", False), ("allow", True)])
def test_a_stricter_pause_mode_on_a_paused_job_follows_the_scenario_switch(emu, drs_aksk, switch, allowed):
    emu.admin("POST", "reset", {"scenario": {"drs": {"repause": switch, "jobs": [
        {"id": PAUSED, "name": "paused-job", "status": "PAUSING", "pause_mode": "target"}]}}})
    result = pause(drs_aksk, PAUSED, mode="all").results[0]
    assert (result.status == "success") is allowed
    assert emu.item(PAUSED)["pause_mode"] == ("all" if allowed else "target")
    assert pause(drs_aksk, PAUSED, mode="target").results[0].error_code == "DRS.M01504"
