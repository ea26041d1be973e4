"""VIAS has no SDK: responses are checked field by field against the reference."""
import time

from hwc_emulator.conformance.common import PROJECT, SLOW
from hwc_emulator.vias import VIAS_COUNT_KEYS

ENTRANCE = "b0000000000000000000000000000001"
PARKING = "b0000000000000000000000000000002"
BATCH_FIELDS = {"id", "batch_task_name", "alg_name", "company", "created_at", "num_task", "type",
                "video_group_name", "video_source_name", "batch_task_status_info", "priority"}
RESULT_FIELDS = {"total_count", "failed_count", "succeed_count", "id", "error_list"}
ERROR_FIELDS = {"error_code", "error_msg", "detail", "params", "reason", "advice"}


def get(emu, path, query=None):
    response = emu.signed("GET", "/v2/%s/%s" % (PROJECT, path), query)
    return response.status_code, response.json()


def action(emu, batch_id, command):
    response = emu.signed("PUT", "/v2/%s/batch-tasks/%s/action/%s" % (PROJECT, batch_id, command))
    return response.status_code, response.json()


def counts(emu, batch_id):
    dummy, body = get(emu, "batch-tasks", {"page_size": 200})
    return next(b for b in body["batch_task_list"] if b["id"] == batch_id)["batch_task_status_info"]


def test_list_batch_tasks_fields(emu):
    status, body = get(emu, "batch-tasks")
    assert status == 200 and set(body) == {"count", "batch_task_list"} and body["count"] == 2
    entrance = next(b for b in body["batch_task_list"] if b["id"] == ENTRANCE)
    assert set(entrance) == BATCH_FIELDS
    assert isinstance(entrance["created_at"], int) and isinstance(entrance["num_task"], int)
    assert isinstance(entrance["type"], str) and entrance["num_task"] == 3
    info = entrance["batch_task_status_info"]
    assert set(info) == set(VIAS_COUNT_KEYS) and len(info) == 18
    assert (info["running"], info["frozen"], info["stopped"]) == (2, 1, 0)


def test_list_paging_filters_and_validation(emu):
    assert get(emu, "batch-tasks", {"page_size": 5, "page_num": 2})[1]["batch_task_list"] == []
    assert [b["id"] for b in get(emu, "batch-tasks", {"task_state": "frozen"})[1]["batch_task_list"]] == [ENTRANCE]
    named = get(emu, "batch-tasks", {"type_like": "batch_task_name", "name_like": "parking"})[1]
    assert [b["id"] for b in named["batch_task_list"]] == [PARKING]
    for query in ({"page_size": 4}, {"page_size": 201}, {"page_num": 0}, {"order_by": "up"}, {"task_state": "RUNNING"}):
        status, body = get(emu, "batch-tasks", query)
        assert (status, body["error_code"]) == (400, "VIAS.00010001"), query
        assert set(body) == ERROR_FIELDS and body["params"] == []


def test_stop_reports_children_that_cannot_move(emu):
    emu.admin("PUT", "delays", {"vias": SLOW})
    status, body = action(emu, ENTRANCE, "stop")
    assert status == 200 and set(body) == RESULT_FIELDS
    assert (body["id"], body["total_count"], body["succeed_count"], body["failed_count"]) == (ENTRANCE, 3, 2, 1)
    assert len(body["error_list"]) == 1 and "FROZEN" in body["error_list"][0] and "cam-3" in body["error_list"][0]
    assert counts(emu, ENTRANCE)["stopping"] == 2
    time.sleep(SLOW + 0.1)
    assert (counts(emu, ENTRANCE)["stopped"], counts(emu, ENTRANCE)["frozen"]) == (2, 1)


def test_start_moves_children_through_starting(emu):
    emu.admin("PUT", "delays", {"vias": SLOW})
    status, body = action(emu, PARKING, "start")
    assert (body["succeed_count"], body["failed_count"], body["error_list"]) == (4, 0, [])
    assert counts(emu, PARKING)["starting"] == 4
    time.sleep(SLOW + 0.1)
    assert counts(emu, PARKING)["running"] == 4
    again = action(emu, PARKING, "start")[1]
    assert (again["succeed_count"], again["failed_count"]) == (4, 0)


def test_unknown_batch_and_bad_command(emu):
    status, body = action(emu, "ffffffffffffffffffffffffffffffff", "start")
    assert (status, body["error_code"]) == (400, "VIAS.00010002") and set(body) == ERROR_FIELDS
    status, body = action(emu, ENTRANCE, "pause")
    assert (status, body["error_code"]) == (400, "VIAS.00010001")
    status, body = action(emu, "BAD!", "start")
    assert body["error_code"] == "VIAS.00010001"


def test_list_tasks_of_a_batch(emu):
    status, body = get(emu, "tasks", {"batch_id": ENTRANCE, "page_size": 5})
    assert status == 200 and set(body) == {"count", "page", "page_size", "tasks"}
    assert body["count"] == 3 and body["page"] == 1 and body["page_size"] == 5
    task = body["tasks"][0]
    assert set(task) == {"id", "name", "state", "type", "title", "created_at", "algorithm_publish_id", "service_id",
                         "video_source_name"}
    assert isinstance(task["created_at"], str) and task["created_at"].isdigit() and task["type"] in ("0", "1")
    assert get(emu, "tasks", {"batch_id": ENTRANCE, "task_state": "FROZEN"})[1]["count"] == 1


def test_single_task_start_stop_and_show(emu):
    child = "c0000000000000000000000000000001"
    response = emu.signed("PUT", "/v2/%s/tasks/%s/action/stop" % (PROJECT, child))
    assert response.status_code == 200 and response.json()["id"] == child
    status, shown = get(emu, "tasks/" + child)
    assert shown["state"] == "STOPPING" and shown["schedule_status"] == "INACTIVATED"
    assert {"id", "name", "state", "status", "schedule_status", "input", "output", "created_at", "updated_at",
            "project_id", "service_id", "type"} <= set(shown)
    frozen = emu.signed("PUT", "/v2/%s/tasks/c0000000000000000000000000000003/action/start" % PROJECT)
    assert (frozen.status_code, frozen.json()["error_code"]) == (400, "VIAS.00010004")
    missing = emu.signed("GET", "/v2/%s/tasks/c9999999999999999999999999999999" % PROJECT)
    assert missing.json()["error_code"] == "VIAS.00010007"
