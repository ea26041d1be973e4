"""IAM tokens and gateway authentication: tokens, AK/SK signatures, temporary keys, lockout, project checks."""
import json

from hwc_emulator.conformance.common import PROJECT, TEMP

ROMA_LIST = "/v2/%s/fdi/instances/inst-1/tasks" % PROJECT


def test_password_token_is_project_scoped(emu):
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": "ops-admin", "password": "Emulator-Passw0rd!", "domain": {"name": "hwc-demo"}}}},
        "scope": {"project": {"id": PROJECT}}}}
    response = emu.http.post(emu.url + "/v3/auth/tokens?nocatalog=true", json=body)
    assert response.status_code == 201
    token = response.json()["token"]
    assert token["project"]["id"] == PROJECT and token["project"]["name"] == "cn-north-4"
    assert "catalog" not in token and token["methods"] == ["password"]
    assert response.headers["X-Subject-Token"]
    with_catalog = emu.http.post(emu.url + "/v3/auth/tokens", json=body).json()["token"]
    assert "catalog" in with_catalog


def test_wrong_password_keystone_body(emu):
    response = emu.http.post(emu.url + "/v3/auth/tokens", json={"auth": {"identity": {
        "methods": ["password"], "password": {"user": {"name": "ops-admin", "password": "nope",
                                                       "domain": {"name": "hwc-demo"}}}},
        "scope": {"project": {"name": "cn-north-4"}}}})
    assert response.status_code == 401
    assert response.json() == {"error": {"code": 401, "message": "The username or password is wrong.",
                                         "title": "Unauthorized"}}


def test_token_works_then_expires(emu):
    token = emu.token()
    assert emu.http.get(emu.url + ROMA_LIST, headers={"X-Auth-Token": token}).status_code == 200
    emu.admin("POST", "clock", {"advance": 86401})
    expired = emu.http.get(emu.url + ROMA_LIST, headers={"X-Auth-Token": token})
    assert expired.status_code == 401
    assert expired.json()["error_code"] == "APIGW.0301"
    assert "The token must be updated." in expired.json()["error_msg"]
    bogus = emu.http.get(emu.url + ROMA_LIST, headers={"X-Auth-Token": "MIIbogus"})
    assert "decrypt token fail" in bogus.json()["error_msg"]


def test_project_listing_by_region_name(emu):
    response = emu.signed("GET", "/v3/projects", {"name": "cn-north-4"})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["projects"]] == [PROJECT]
    assert emu.signed("GET", "/v3/projects", {"name": "eu-west-0"}).json()["projects"] == []


def test_valid_signature_with_query(emu):
    response = emu.signed("GET", ROMA_LIST, {"limit": 5, "name": "orders realtime", "offset": 0})
    assert response.status_code == 200, response.text


def _assert_signature_rejected(response, fragment="verify aksk signature fail"):
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["error_code"] == "APIGW.0301"
    assert body["error_msg"].startswith("Incorrect IAM authentication information: ")
    assert fragment in body["error_msg"]
    assert response.headers["X-Request-Id"]


def test_wrong_secret_key(emu):
    _assert_signature_rejected(emu.signed("GET", ROMA_LIST, sk="x" * 40))


def test_rejection_shows_the_canonical_request_with_pipes(emu):
    body = emu.signed("GET", ROMA_LIST, sk="x" * 40).json()
    assert "canonicalRequest: GET|/v2/%s/fdi/instances/inst-1/tasks/|" % PROJECT in body["error_msg"]


def test_stale_date(emu):
    response = emu.signed("GET", ROMA_LIST, headers={"X-Sdk-Date": "20200101T000000Z"})
    _assert_signature_rejected(response, "more than 15 minutes")


def test_tampered_body(emu):
    body = json.dumps({"action_id": "stop", "list": [{"task_id": "t-rt-run"}]}).encode()

    def tamper(request):
        request.body = body.replace(b"t-rt-run", b"t-rt-stop")
    path = "/v2/%s/fdi/instances/inst-1/batch-operation/tasks" % PROJECT
    _assert_signature_rejected(emu.signed("POST", path, body=body, tamper=tamper))
    assert emu.item("t-rt-stop")["status"] == 0 and emu.item("t-rt-run")["status"] == 1


def test_tampered_query(emu):
    def tamper(request):
        request.uri = request.uri.replace("limit=5", "limit=6")
    _assert_signature_rejected(emu.signed("GET", ROMA_LIST, {"limit": 5}, tamper=tamper))


def test_unknown_access_key(emu):
    _assert_signature_rejected(emu.signed("GET", ROMA_LIST, ak="HCUNKNOWN000000000", sk="x"), "Get secretKey failed")


def test_temporary_keys_need_the_signed_security_token(emu):
    ok = emu.signed("GET", ROMA_LIST, ak=TEMP["access_key"], sk=TEMP["secret_key"],
                    headers={"X-Security-Token": TEMP["security_token"]})
    assert ok.status_code == 200, ok.text
    _assert_signature_rejected(emu.signed("GET", ROMA_LIST, ak=TEMP["access_key"], sk=TEMP["secret_key"]),
                               "X-Security-Token")


def test_lockout_after_five_consecutive_failures(emu):
    for dummy in range(6):
        emu.signed("GET", ROMA_LIST, sk="wrong" * 8)
    _assert_signature_rejected(emu.signed("GET", ROMA_LIST), "AK access failed to reach the limit, forbidden")


def test_project_must_belong_to_the_caller(emu):
    other = "f" * 32
    roma = emu.signed("GET", "/v2/%s/fdi/instances/inst-1/tasks" % other)
    assert (roma.status_code, roma.json()["error_code"]) == (400, "FDI.3039")
    drs = emu.signed("POST", "/v3/%s/jobs/batch-status" % other, body=b'{"jobs":[]}')
    assert (drs.status_code, drs.json()["error_code"]) == (403, "DRS.M00261")
    vias = emu.signed("GET", "/v2/%s/batch-tasks" % other)
    assert (vias.status_code, vias.json()["error_code"]) == (401, "VIAS.00010005")
    header_mismatch = emu.signed("GET", ROMA_LIST, headers={"X-Project-Id": other})
    assert header_mismatch.json()["error_code"] == "FDI.3039"


def test_unknown_api_is_a_gateway_404(emu):
    response = emu.signed("GET", "/v2/%s/nothing-here" % PROJECT)
    assert response.status_code == 404 and response.json()["error_code"] == "APIGW.0101"
    assert emu.signed("GET", "/v2/%s/_emulator/stats" % PROJECT).status_code == 404


def test_real_endpoint_host_header_is_served_the_same(emu):
    host = "roma.cn-north-4.myhuaweicloud.com"
    response = emu.signed("GET", ROMA_LIST, {"limit": 1}, headers={"Host": host})
    assert response.status_code == 200, response.text
    assert response.json()["size"] == 1
