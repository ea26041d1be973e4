"""Admin API: counters per operation and status, the request log (no secrets), objects, reset."""
import json

from hwc_emulator.conformance.common import PROJECT, SK, USER

LIST = "/v2/%s/fdi/instances/inst-1/tasks" % PROJECT


def test_counters_and_write_count(emu):
    emu.signed("GET", LIST)
    emu.signed("GET", LIST, {"limit": 0})
    emu.signed("POST", "/v2/%s/fdi/instances/inst-1/batch-operation/tasks" % PROJECT,
               body=b'{"action_id":"stop","list":[{"task_id":"t-rt-run"}]}')
    stats = emu.admin("GET", "stats")
    assert stats["total"] == 3 and stats["writes"] == 1
    assert stats["by_operation"]["roma.list_tasks"] == {"200": 1, "400": 1}
    assert stats["by_operation"]["roma.batch_operation"] == {"200": 1}


def test_request_log_has_no_secret(emu):
    token = emu.token()
    emu.http.get(emu.url + LIST, headers={"X-Auth-Token": token})
    emu.signed("GET", LIST)
    log = emu.admin("GET", "requests")["requests"]
    assert [r["operation"] for r in log] == ["iam.create_token", "roma.list_tasks", "roma.list_tasks"]
    assert [r["auth"] for r in log] == [None, "token", "aksk"]
    assert all(r["request_id"] and r["status"] in (200, 201) for r in log)
    text = json.dumps(log)
    for secret in (token, SK, USER["password"]):
        assert secret not in text
    assert emu.admin("GET", "requests?since=%d" % log[-1]["seq"])["requests"] == []


def test_objects_and_reset(emu):
    emu.admin("PATCH", "items/t-rt-run", {"status": 0})
    objects = emu.admin("GET", "objects")
    assert next(t for t in objects["roma"]["inst-1"] if t["task_id"] == "t-rt-run")["status"] == 0
    assert len(objects["drs"]) == 7 and len(objects["vias"]) == 2
    emu.admin("POST", "reset")
    assert emu.item("t-rt-run")["status"] == 1
    assert emu.admin("GET", "stats")["total"] == 0


def test_a_plain_reset_returns_to_the_starting_scenario_after_another_was_loaded(emu):
    emu.admin("POST", "reset", {"scenario": {"drs": {"jobs": [{"name": "only-job"}]}}})
    assert [j["name"] for j in emu.admin("GET", "objects")["drs"]] == ["only-job"]
    emu.admin("POST", "reset", {})
    assert "only-job" not in [j["name"] for j in emu.admin("GET", "objects")["drs"]]
