"""Each fault type, the gateway rate limit, and seeded replay."""
import json
import time

import pytest
import requests

from hwc_emulator.conformance.common import PROJECT

LIST = "/v2/%s/fdi/instances/inst-1/tasks" % PROJECT
BATCH = "/v2/%s/fdi/instances/inst-1/batch-operation/tasks" % PROJECT
STOP_RUNNING = json.dumps({"action_id": "stop", "list": [{"task_id": "t-rt-run"}]}).encode()


def faults(emu, *items, seed=None):
    emu.admin("PUT", "faults", {"faults": list(items), "seed": seed})


def test_latency_with_jitter(emu):
    faults(emu, {"type": "latency", "service": "roma", "operation": "list_tasks", "ms": 200, "jitter_ms": 50})
    started = time.monotonic()
    assert emu.signed("GET", LIST).status_code == 200
    assert 0.2 <= time.monotonic() - started < 1.0


def test_rate_limit_answers_429_with_retry_after(emu):
    emu.admin("PUT", "rate-limit", {"rps": 2})
    statuses = [emu.signed("GET", LIST) for dummy in range(5)]
    throttled = [r for r in statuses if r.status_code == 429]
    assert throttled, [r.status_code for r in statuses]
    body = throttled[0].json()
    assert body["error_code"] == "APIGW.0308" and "policy user over ratelimit, limit:2" in body["error_msg"]
    assert int(throttled[0].headers["Retry-After"]) >= 1
    emu.admin("PUT", "rate-limit", {"rps": None})
    assert emu.signed("GET", LIST).status_code == 200


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_injected_errors_use_the_service_body_and_count(emu, status):
    faults(emu, {"type": "error", "service": "roma", "status": status, "count": 1})
    first = emu.signed("GET", LIST)
    assert (first.status_code, first.json()["error_code"]) == (status, "FDI.9999")
    assert emu.signed("GET", LIST).status_code == 200  # count used up


def test_reset_before_leaves_state_untouched(emu):
    faults(emu, {"type": "reset", "operation": "batch_operation", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        emu.signed("POST", BATCH, body=STOP_RUNNING)
    time.sleep(0.3)  # longer than the transition delay: the write never happened
    assert emu.item("t-rt-run")["status"] == 1


def test_reset_after_applies_the_write(emu):
    faults(emu, {"type": "reset", "operation": "batch_operation", "when": "after", "count": 1})
    with pytest.raises(requests.exceptions.ConnectionError):
        emu.signed("POST", BATCH, body=STOP_RUNNING)
    time.sleep(0.3)
    assert emu.item("t-rt-run")["status"] == 0


def test_hang_outlasts_the_client_timeout(emu):
    faults(emu, {"type": "hang", "operation": "list_tasks", "ms": 1500, "count": 1})
    with pytest.raises(requests.exceptions.ReadTimeout):
        emu.http.get(emu.url + LIST, headers={"X-Auth-Token": emu.token()}, timeout=0.5)


def test_html_and_truncated_bodies(emu):
    faults(emu, {"type": "html", "operation": "list_tasks", "count": 1},
           {"type": "truncated", "operation": "batch_operation", "count": 1})
    html = emu.signed("GET", LIST)
    assert html.status_code == 502 and html.headers["Content-Type"] == "text/html" and b"<title>" in html.content
    truncated = emu.signed("POST", BATCH, body=STOP_RUNNING)
    assert truncated.status_code == 200
    with pytest.raises(ValueError):
        json.loads(truncated.content)


def test_stale_reads_lag_writes(emu):
    emu.admin("PUT", "delays", {"roma": 0})
    faults(emu, {"type": "stale_reads", "service": "roma", "lag_ms": 1000})
    emu.signed("POST", BATCH, body=STOP_RUNNING)
    time.sleep(0.05)
    rows = emu.signed("GET", LIST, {"limit": 1000}).json()["entities"]
    assert next(r for r in rows if r["task_id"] == "t-rt-run")["status"] == 1  # still the old view
    time.sleep(1.05)
    rows = emu.signed("GET", LIST, {"limit": 1000}).json()["entities"]
    assert next(r for r in rows if r["task_id"] == "t-rt-run")["status"] == 0


def test_forced_item_failures(emu):
    faults(emu, {"type": "item_failure", "service": "roma", "ids": ["t-rt-run"], "code": "FDI.3027",
                 "message": "Manual stop failed."})
    body = emu.signed("POST", BATCH, body=json.dumps({"action_id": "stop", "list": [
        {"task_id": "t-rt-run"}, {"task_id": "t-rt-stop"}]}).encode()).json()
    assert body["failure"] == [{"task_id": "t-rt-run", "task_name": "orders-realtime", "error_code": "FDI.3027",
                                "error_msg": "Manual stop failed."}]
    assert body["success_count"] == 1


def test_stuck_items_never_settle(emu):
    faults(emu, {"type": "stuck", "ids": ["22222222-2222-4222-8222-222222222222"]})
    emu.admin("PUT", "delays", {"drs": 0.05})
    body = b'{"jobs":[{"job_id":"22222222-2222-4222-8222-222222222222","pause_mode":"target"}]}'
    assert emu.signed("POST", "/v3/%s/jobs/batch-pause-task" % PROJECT, body=body).json()["results"][0]["status"] \
        == "success"
    time.sleep(0.2)
    assert emu.item("22222222-2222-4222-8222-222222222222")["status"] == "INCRE_TRANSFER_STARTED"


def test_token_expiry_fault(emu):
    token = emu.token()
    faults(emu, {"type": "token_expiry", "count": 1})
    expired = emu.http.get(emu.url + LIST, headers={"X-Auth-Token": token})
    assert expired.status_code == 401 and "The token must be updated." in expired.json()["error_msg"]
    assert emu.http.get(emu.url + LIST, headers={"X-Auth-Token": emu.token()}).status_code == 200


def test_seeded_faults_replay_identically(emu):
    def run():
        faults(emu, {"type": "error", "service": "roma", "status": 503, "rate": 0.5}, seed=42)
        return [emu.signed("GET", LIST).status_code for dummy in range(12)]
    first, second = run(), run()
    assert first == second and 503 in first and 200 in first


def test_bad_fault_definitions_are_rejected(emu):
    response = emu.http.put(emu.url + "/_emulator/faults", json={"faults": [{"type": "error", "status": 404}]})
    assert response.status_code == 400 and "status 500, 502, 503 or 504" in response.json()["error"]
