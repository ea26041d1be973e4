"""ROMA FDI through the official SDK (AK/SK and token): listing, show, batch start/stop, plans, errors."""
import json
import time

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkroma.v2 import (
    BatchStartOrStopTasksRequest, CreateDispatchesRequest, ListTasksRequest, OperateTasksBean, RomaClient,
    ShowTaskRequest, TaskBean, TaskDispatch,
)

from hwc_emulator.conformance.common import DELAY, PROJECT, SLOW

BATCH_PATH = "/v2/%s/fdi/instances/inst-1/batch-operation/tasks" % PROJECT


@pytest.fixture(params=["aksk", "token"])
def roma(request, emu):
    return emu.sdk(RomaClient, token=emu.token() if request.param == "token" else None)


def batch(roma, action, *ids):
    return roma.batch_start_or_stop_tasks(BatchStartOrStopTasksRequest(
        instance_id="inst-1", body=OperateTasksBean(action_id=action, list=[TaskBean(task_id=i) for i in ids])))


def test_listing_pages_and_models(roma):
    first = roma.list_tasks(ListTasksRequest(instance_id="inst-1", limit=10, offset=0))
    assert first.total == 25 and first.size == 10 and len(first.entities) == 10
    rest = roma.list_tasks(ListTasksRequest(instance_id="inst-1", limit=10, offset=20))
    assert rest.size == 5
    every = roma.list_tasks(ListTasksRequest(instance_id="inst-1", limit=1000)).entities
    assert len(set(e.task_id for e in every)) == 25
    task = next(e for e in every if e.task_id == "t-tm-plan")
    assert (task.task_type, task.status, task.execute_status, task.task_tag) == ("TIMING", 0, "UNSTARTED", "billing")
    assert isinstance(task.last_modified_time, int)


def test_filters(emu, roma):
    by_sdk_name = roma.list_tasks(ListTasksRequest(instance_id="inst-1", name="orders"))
    assert sorted(e.task_id for e in by_sdk_name.entities) == ["t-rt-run", "t-rt-stop"]
    for spelling in ("task_name", "taks_name"):
        raw = emu.signed("GET", "/v2/%s/fdi/instances/inst-1/tasks" % PROJECT, {spelling: "billing"}).json()
        assert sorted(e["task_id"] for e in raw["entities"]) == ["t-tm-noplan", "t-tm-plan"]
    running = roma.list_tasks(ListTasksRequest(instance_id="inst-1", status=1, limit=1000, task_type="realtime"))
    assert all(e.status == 1 and e.task_type == "REALTIME" for e in running.entities)
    tagged = emu.signed("GET", "/v2/%s/fdi/instances/inst-1/tasks" % PROJECT, {"task_tag": "orders"}).json()
    assert tagged["total"] == 2
    by_exec = roma.list_tasks(ListTasksRequest(instance_id="inst-1", execute_status="UNSTARTED", limit=1000))
    assert all(e.execute_status == "UNSTARTED" for e in by_exec.entities)


def test_listing_parameter_errors(emu):
    path = "/v2/%s/fdi/instances/inst-1/tasks" % PROJECT
    for query in ({"limit": 0}, {"offset": 20001}, {"status": 2}, {"task_type": "TIMING"}):
        response = emu.signed("GET", path, query)
        assert (response.status_code, response.json()["error_code"]) == (400, "FDI.3002"), query
    assert emu.signed("GET", path, {"offset": -5}).json()["size"] == 10
    # Above 999 the limit is clamped, as the SDK documents.
    assert emu.signed("GET", path, {"limit": 5000}).status_code == 200


def test_stop_then_start_moves_status_after_the_delay(emu, roma):
    emu.admin("PUT", "delays", {"roma": SLOW})  # long enough that "not yet" holds on a loaded machine
    result = batch(roma, "stop", "t-rt-run")
    assert (result.success_count, result.failure_count) == (1, 0)
    assert result.success[0].task_id == "t-rt-run" and result.success[0].task_name == "orders-realtime"
    assert emu.item("t-rt-run")["status"] == 1  # not yet
    time.sleep(SLOW + 0.1)
    assert emu.item("t-rt-run")["status"] == 0 and emu.item("t-rt-run")["execute_status"] == "CANCELLED"
    batch(roma, "start", "t-rt-run", "t-tm-plan")
    time.sleep(SLOW + 0.1)
    assert emu.item("t-rt-run")["execute_status"] == "RUNNING" and emu.item("t-tm-plan")["execute_status"] == "WAITING"
    assert emu.item("t-tm-plan")["status"] == 1


def test_show_task(roma):
    shown = roma.show_task(ShowTaskRequest(instance_id="inst-1", task_id="t-rt-run"))
    assert shown.task.status == "running" and shown.task.task_type == "realtime" and shown.task.project_id == PROJECT
    assert isinstance(json.loads(shown.task_detail), dict)


def test_batch_limits_and_empty_list(roma):
    with pytest.raises(ClientRequestException) as info:
        batch(roma, "stop", *["bulk-%d" % n for n in range(11)])
    assert (info.value.status_code, info.value.error_code) == (400, "FDI.3002")
    with pytest.raises(ClientRequestException) as info:
        batch(roma, "stop")
    assert (info.value.status_code, info.value.error_code, info.value.error_msg) == (
        400, "FDI.3150", "The task list is empty.")


def test_a_missing_list_is_an_empty_list(emu):
    missing = emu.signed("POST", "/v2/%s/fdi/instances/inst-1/batch-operation/tasks" % PROJECT,
                         body=b'{"action_id": "stop"}')
    assert (missing.status_code, missing.json()["error_code"]) == (400, "FDI.3150")


def test_bad_action_and_body(emu):
    response = emu.signed("POST", BATCH_PATH, body=b'{"action_id":"pause","list":[{"task_id":"t-rt-run"}]}')
    assert response.json()["error_code"] == "FDI.3002"
    assert emu.signed("POST", BATCH_PATH, body=b"{not json").json()["error_code"] == "FDI.3002"
    response = emu.signed("POST", BATCH_PATH, body=b'{"action_id":"stop","list":[{"task_id":""}]}')
    assert response.json()["error_code"] == "FDI.3022"


def test_unknown_ids_fail_per_item(roma):
    result = batch(roma, "stop", "t-rt-run", "does-not-exist")
    assert (result.success_count, result.failure_count) == (1, 1)
    assert (result.failure[0].task_id, result.failure[0].error_code) == ("does-not-exist", "FDI.3081")


def test_unknown_ids_can_reject_the_whole_call(emu):
    scenario = dict(emu.world.scenario, roma=dict(emu.world.scenario["roma"], unknown_ids="reject"))
    emu.admin("POST", "reset", {"scenario": scenario})
    roma = emu.sdk(RomaClient)
    with pytest.raises(ClientRequestException) as info:
        batch(roma, "stop", "t-rt-run", "does-not-exist")
    assert info.value.error_code == "FDI.3021"


def test_timing_task_without_plan_rejects_the_whole_batch(emu, roma):
    with pytest.raises(ClientRequestException) as info:
        batch(roma, "start", "t-rt-stop", "t-tm-noplan")
    assert (info.value.status_code, info.value.error_code) == (404, "FDI.3083")
    time.sleep(DELAY + 0.1)
    assert emu.item("t-rt-stop")["status"] == 0  # nothing in the batch changed
    # Stopping is not affected, and once a plan exists the start goes through.
    roma.create_dispatches(CreateDispatchesRequest(instance_id="inst-1", task_id="t-tm-noplan", body=TaskDispatch(
        start_datetime=int(time.time() * 1000), period="DAY", dispatch_interval=1, use_quartz_cron=False)))
    assert batch(roma, "start", "t-rt-stop", "t-tm-noplan").success_count == 2


def test_dispatch_errors_use_the_nested_shape(emu):
    path = "/v2/%s/fdi/instances/inst-1/tasks/%s/dispatches"
    missing = emu.signed("POST", path % (PROJECT, "nope"), body=b'{"period":"DAY","dispatch_interval":1}')
    assert missing.status_code == 404
    assert missing.json() == {"code": 404, "reason": {"error_code": "FDI.3180",
                                                      "error_msg": "This task is not in the project."}}
    bad = emu.signed("POST", path % (PROJECT, "t-tm-noplan"), body=b'{"period":"YEAR"}')
    assert bad.json()["reason"]["error_code"] == "FDI.3002"
    shown = emu.signed("GET", path % (PROJECT, "t-tm-plan")).json()
    assert shown["task_id"] == "t-tm-plan" and shown["period"] == "HOUR"


def test_unknown_instance(emu):
    response = emu.signed("GET", "/v2/%s/fdi/instances/nope/tasks" % PROJECT)
    assert (response.status_code, response.json()["error_code"]) == (400, "FDI.3002")
