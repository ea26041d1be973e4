"""DRS v5 over the same jobs as v3: the official SDK's v5 client against the emulator, and the switches for what
the reference leaves unconfirmed (the action answer, the paused status in the listing, a withdrawn v3)."""
import json

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkdrs.v3 import BatchListJobStatusRequest, BatchQueryJobReqPage, PageReq
from huaweicloudsdkdrs.v3 import DrsClient as DrsV3Client
from huaweicloudsdkdrs.v5 import (
    ActionParams, ActionReq, BatchExecuteJobActionsRequest, BatchJobActionReq, BatchStopJobActionReq,
    BatchStopJobsActionRequest, DrsClient, ListJobsRequest, ShowActionsRequest, StopJobActionInfo,
)

from hwc_emulator.conformance.common import DRS_JOBS, PROJECT

CFG, INCR, FULL, PAUSED, FAILED, STARTFAIL = (j["id"] for j in DRS_JOBS[:6])
ACTION_PATH = "/v5/%s/jobs/action" % PROJECT


@pytest.fixture(params=["aksk", "token"])
def v5(request, emu):
    return emu.sdk(DrsClient, token=emu.token() if request.param == "token" else None)


def act(client, *pairs, **params):
    jobs = [ActionReq(job_id=job_id, action_name=name, action_params=ActionParams(**params) if params else None)
            for job_id, name in pairs]
    return client.batch_execute_job_actions(BatchExecuteJobActionsRequest(body=BatchJobActionReq(jobs=jobs)))


def raw_action(emu, jobs):
    answer = emu.signed("POST", ACTION_PATH, body=json.dumps({"jobs": jobs}).encode(),
                        headers={"Content-Type": "application/json"})
    return answer.status_code, answer.json()


def listed(client, job_type="migration", **query):
    return client.list_jobs(ListJobsRequest(job_type=job_type, **query))


def test_the_sdk_client_starts_pauses_and_resumes_through_v5(emu, v5):
    act(v5, (CFG, "start"))
    assert emu.item(CFG)["current_action"] == "START"
    act(v5, (INCR, "stop"), pause_mode="target")
    assert emu.item(INCR)["current_action"] == "PAUSE"
    act(v5, (PAUSED, "restart"))
    assert emu.item(PAUSED)["current_action"] == "RETRY"
    act(v5, (FAILED, "restart"), (STARTFAIL, "reset"))
    assert emu.item(FAILED)["current_action"] == "RETRY" and emu.item(STARTFAIL)["current_action"] == "RESET"


def test_the_sync_answer_gives_a_verdict_per_job_with_capitalised_statuses(emu):
    status, body = raw_action(emu, [
        {"job_id": INCR, "action_name": "stop", "action_params": {"pause_mode": "all"}},
        {"job_id": CFG, "action_name": "stop", "action_params": {"pause_mode": "all"}},
        {"job_id": "99999999-9999-4999-8999-999999999999", "action_name": "start"},
        {"job_id": FULL, "action_name": "stop"},
    ])
    assert status == 200
    rows = dict((r["id"], r) for r in body["jobs"])
    assert rows[INCR] == {"id": INCR, "name": "incr-job", "status": "Success"}
    assert rows[CFG]["status"] == "Failed" and rows[CFG]["error_code"] == "DRS.M01504"
    assert rows["99999999-9999-4999-8999-999999999999"]["error_code"] == "DRS.10020102"
    assert rows[FULL]["status"] == "Failed" and "pause_mode" in rows[FULL]["error_msg"]


def reset(emu, **switches):
    """A scenario with these DRS switches, and a client made after it (a reset voids earlier tokens)."""
    emu.admin("POST", "reset", {"scenario": {"drs": dict(switches, jobs=DRS_JOBS)}})
    return emu.sdk(DrsClient)


def test_the_async_answer_gives_only_query_ids(emu):
    v5 = reset(emu, v5_action_answer="async")
    status, body = raw_action(emu, [{"job_id": INCR, "action_name": "stop", "action_params": {"pause_mode": "all"}},
                                    {"job_id": CFG, "action_name": "stop", "action_params": {"pause_mode": "all"}}])
    assert status == 202 and all(set(r) == {"id", "name", "query_id"} for r in body["jobs"])
    assert emu.item(INCR)["current_action"] == "PAUSE" and not emu.item(CFG).get("current_action")
    response = act(v5, (FULL, "stop"), pause_mode="target")
    assert response.jobs[0].query_id


@pytest.mark.parametrize("body", [
    {"jobs": [{"job_id": INCR, "action_name": "pause"}]},  # not a v5 action name
    {"jobs": [{"job_id": "not-a-job-id", "action_name": "start"}]},
    {"jobs": []},
    {"jobs": [{"job_id": INCR}]},
])
def test_malformed_action_calls_are_refused_whole(emu, body):
    answer = emu.signed("POST", ACTION_PATH, body=json.dumps(body).encode(),
                        headers={"Content-Type": "application/json"})
    assert answer.status_code == 400 and answer.json()["error_code"].startswith("DRS.")


def test_the_listing_takes_one_job_type_per_call_and_pages_by_offset(emu, v5):
    response = listed(v5, limit=2)
    assert response.total_count == len(DRS_JOBS) and len(response.jobs) == 2
    rest = listed(v5, offset=2, limit=100)
    assert len(set(j.id for j in response.jobs + rest.jobs)) == len(DRS_JOBS)
    assert listed(v5, job_type="sync").total_count == 0
    with pytest.raises(ClientRequestException) as caught:
        v5.list_jobs(ListJobsRequest())
    assert caught.value.status_code == 400
    row = next(j for j in rest.jobs + response.jobs if j.id == PAUSED)
    assert row.job_type == "migration" and row.job_action.available_actions == ["RETRY"]


@pytest.mark.parametrize("switch,shown", [("PAUSING", "PAUSING"), ("unchanged", "INCRE_TRANSFER_STARTED")])
def test_the_paused_status_in_the_v5_listing_follows_the_switch(emu, switch, shown):
    v5 = reset(emu, v5_paused_status=switch)
    row = next(j for j in listed(v5, limit=100).jobs if j.id == PAUSED)
    assert row.status == shown and row.job_action.available_actions == ["RETRY"]  # the actions always tell


def test_one_jobs_action_lists(emu, v5):
    actions = v5.show_actions(ShowActionsRequest(job_id=INCR)).job_action
    assert actions.available_actions == ["PAUSE"] and "START" in actions.unavailable_actions
    with pytest.raises(ClientRequestException):
        v5.show_actions(ShowActionsRequest(job_id="99999999-9999-4999-8999-999999999999"))


def test_batch_stop_ends_jobs_it_is_never_a_pause(emu, v5):
    v5.batch_stop_jobs_action(BatchStopJobsActionRequest(body=BatchStopJobActionReq(
        jobs=[StopJobActionInfo(job_id=INCR, is_force_stop=False)])))
    assert emu.item(INCR)["status"].startswith("RELEASE_RESOURCE")


def test_a_withdrawn_v3_answers_like_a_removed_api_while_v5_works(emu):
    v5 = reset(emu, v3="withdrawn")
    v3 = emu.sdk(DrsV3Client)
    with pytest.raises(ClientRequestException) as caught:
        v3.batch_list_job_status(BatchListJobStatusRequest(body=BatchQueryJobReqPage(
            jobs=[INCR], page_req=PageReq(cur_page=1, per_page=0))))
    assert caught.value.status_code == 404 and caught.value.error_code == "APIGW.0101"
    assert listed(v5, limit=100).total_count == len(DRS_JOBS)
