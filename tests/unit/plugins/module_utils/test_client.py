"""The client end to end against a scripted local server: auth modes, project lookup, re-login, validation."""
import json

import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.client import HwCloudClient
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

SCHEMA = {"type": "object", "required": ["total"], "properties": {"total": {"type": "integer"}}}


def client_for(server, **params):
    base = dict(region="cn-north-4", endpoints={s: server.url for s in ("iam", "roma", "drs", "vias")}, retries=1)
    base.update(params)
    client = HwCloudClient.from_params(base, environ={})
    client.transport.sleep = lambda s: None
    return client


def token_reply(project_id="p-from-token", token="tok-1"):
    return {"status": 201, "headers": {"X-Subject-Token": token},
            "body": {"token": {"project": {"id": project_id, "name": "cn-north-4"}, "expires_at": "x"}}}


def test_aksk_resolves_project_by_region_then_signs_calls(server):
    server.script = [{"body": {"projects": [{"id": "p-1", "name": "cn-north-4"}]}},
                     {"body": {"total": 0}}]
    client = client_for(server, access_key="AK", secret_key="SK", security_token="ST")
    assert client.call("roma", "GET", "/v2/{project_id}/fdi/instances/i/tasks", "list tasks",
                       query={"limit": 10}, schema=SCHEMA) == {"total": 0}
    lookup, listing = server.requests
    assert lookup["path"] == "/v3/projects?name=cn-north-4"
    assert listing["path"] == "/v2/p-1/fdi/instances/i/tasks?limit=10"
    assert listing["headers"]["X-Project-Id"] == "p-1"
    assert listing["headers"]["X-Security-Token"] == "ST"
    assert listing["headers"]["Authorization"].startswith("SDK-HMAC-SHA256 Access=AK, SignedHeaders=")
    assert client.api_requests == 2


def test_password_login_scopes_token_and_relogs_once_on_expiry(server):
    server.script = [token_reply(token="tok-1"),
                     {"status": 401, "body": {"error_code": "APIGW.0301", "error_msg": "The token must be updated"}},
                     token_reply(token="tok-2"),
                     {"body": {"total": 1}}]
    client = client_for(server, user_name="ops", password="pw", domain_name="acme")
    assert client.call("drs", "POST", "/v3/{project_id}/jobs/batch-status", "batch status", body={"jobs": []},
                       idempotent=False) == {"total": 1}
    auth, first, relogin, second = server.requests
    assert auth["path"] == "/v3/auth/tokens?nocatalog=true"
    sent = json.loads(auth["body"])
    assert sent["auth"]["scope"] == {"project": {"name": "cn-north-4"}}
    assert sent["auth"]["identity"]["password"]["user"] == {"name": "ops", "password": "pw",
                                                            "domain": {"name": "acme"}}
    assert first["headers"]["X-Auth-Token"] == "tok-1" and second["headers"]["X-Auth-Token"] == "tok-2"
    assert second["path"] == "/v3/p-from-token/jobs/batch-status"
    assert second["headers"]["X-Language"] == "en-us"


def test_a_token_expiring_again_later_in_the_run_is_renewed_again(server):
    expired = {"status": 401, "body": {"error_code": "APIGW.0301", "error_msg": "The token must be updated"}}
    server.script = [token_reply(token="t1"), {"body": {"n": 1}}, expired, token_reply(token="t2"), {"body": {"n": 2}},
                     expired, token_reply(token="t3"), {"body": {"n": 3}}]
    client = client_for(server, user_name="ops", password="pw", domain_name="acme", project_id="p")
    answers = [client.call("roma", "GET", "/v2/{project_id}/x", "list tasks")["n"] for dummy in range(3)]
    assert answers == [1, 2, 3]
    assert [r["headers"].get("X-Auth-Token") for r in server.requests if "auth/tokens" not in r["path"]] == [
        "t1", "t1", "t2", "t2", "t3"]


def test_a_token_rejected_after_two_new_logins_in_one_call_is_an_error(server):
    expired = {"status": 401, "body": {"error_code": "APIGW.0301", "error_msg": "The token must be updated"}}
    server.script = [token_reply(), expired, token_reply(), expired, token_reply(), expired]
    client = client_for(server, user_name="ops", password="pw", domain_name="acme", project_id="p")
    with pytest.raises(HwCloudError) as info:
        client.call("roma", "GET", "/v2/{project_id}/x", "list tasks")
    assert info.value.status == 401 and info.value.code == "APIGW.0301"
    assert json.loads(server.requests[0]["body"])["auth"]["scope"] == {"project": {"id": "p"}}


def test_preissued_token(server):
    server.script = [{"body": {"total": 2}}]
    client = client_for(server, auth_token="pre-issued", project_id="p9")
    client.call("vias", "GET", "/v2/{project_id}/batch-tasks", "list batch tasks")
    assert server.requests[0]["headers"]["X-Auth-Token"] == "pre-issued"
    assert server.requests[0]["path"] == "/v2/p9/batch-tasks"


def test_write_5xx_is_outcome_unknown_and_not_repeated(server):
    server.script = [{"status": 503, "body": {"error_code": "FDI.9999", "error_msg": "Network error."}}]
    client = client_for(server, auth_token="t", project_id="p")
    with pytest.raises(HwCloudError) as info:
        client.call("roma", "POST", "/v2/p/x", "batch stop", body={"action_id": "stop"}, idempotent=False)
    assert info.value.outcome_unknown and info.value.code == "FDI.9999"
    assert len(server.requests) == 1


def test_malformed_and_non_json_success_bodies(server):
    server.script = [{"body": {"total": "many"}}, {"body": b"<html>oops</html>"}]
    client = client_for(server, auth_token="t", project_id="p")
    with pytest.raises(HwCloudError, match="roma list tasks failed: unexpected response from the service: "
                                           "field total: 'many' is not of type 'integer'"):
        client.call("roma", "GET", "/x", "list tasks", schema=SCHEMA)
    with pytest.raises(HwCloudError, match="roma list tasks failed, HTTP 200: the response was not valid JSON but an HTML page"):
        client.call("roma", "GET", "/x", "list tasks")


def test_unknown_project_name(server):
    server.script = [{"body": {"projects": []}}]
    client = client_for(server, access_key="AK", secret_key="SK")
    with pytest.raises(HwCloudError, match="no project named 'cn-north-4'"):
        client.project_id
