"""HwCloudModule turns configuration and API errors into clean fail_json results without secrets."""
import json
import socket

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from module_args import patch_module_args

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError
from ansible_collections.hwcloud.taskops.plugins.module_utils.module import HwCloudModule


def run_module(args, body, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            body(HwCloudModule(argument_spec={}, supports_check_mode=True))
    return json.loads(capsys.readouterr().out)


def test_missing_credentials_fail_cleanly(capsys, monkeypatch):
    for var in ("HW_ACCESS_KEY", "HW_SECRET_KEY", "HW_AUTH_TOKEN", "HW_USER_NAME", "HW_PASSWORD",
                "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK", "HW_AUTH_TYPE"):
        monkeypatch.delenv(var, raising=False)
    result = run_module({"region": "cn-north-4"}, lambda m: m.client, capsys)
    assert result["failed"] and result["msg"].startswith("no Huawei Cloud credentials found")


def test_api_error_fields_and_no_secret(capsys):
    secret = "Sup3rSecretValue"

    def body(module):
        assert module.client  # registers the secret for redaction
        module.fail_api_error(HwCloudError("echoed %s" % secret, status=400, code="FDI.3002", service="roma",
                                           operation="batch start", request_id="r-1"), items=[])

    result = run_module({"access_key": "AK", "secret_key": secret, "region": "cn-north-4", "project_id": "p"},
                        body, capsys)
    assert result["error"]["error_code"] == "FDI.3002" and result["error"]["request_id"] == "r-1"
    assert result["msg"].startswith("roma batch start failed, HTTP 400, FDI.3002")
    assert result["items"] == [] and result["api_requests"] == 0
    assert secret not in json.dumps(result)


@pytest.mark.parametrize("args,words", [
    ({"timeout": 0}, "timeout must be a number of seconds above 0"),
    ({"timeout": "inf"}, "timeout must be a number"),
    ({"timeout": "nan"}, "timeout must be a number"),
    ({"timeout": "1e309"}, "timeout must be a number"),
    ({"timeout": 2 ** 63}, "timeout must be a number"),
    ({"retries": -1}, "retries must be between 0 and 100"),
    ({"retries": 2 ** 63}, "retries must be between 0 and 100"),
    ({"ca_bundle": "/no/such/ca.pem"}, "ca_bundle /no/such/ca.pem is not a readable file"),
])
def test_bad_transport_options(capsys, args, words):
    result = run_module(args, lambda m: None, capsys)
    assert result["failed"] and words in result["msg"]


@pytest.mark.parametrize("args,words", [
    ({"auth_token": "t\u00e9l\u00e9"}, "auth_token"),
    ({"auth_token": "abc\ndef"}, "auth_token"),
    ({"access_key": "AK", "secret_key": "SK", "project_id": "\u9879\u76ee"}, "project_id"),
    ({"access_key": "AK", "secret_key": "SK", "region": "cn-north-4\r\nX: y"}, "region"),
    ({"access_key": "AK", "secret_key": "SK", "endpoints": {"roma": "http://[::1"}}, "endpoint for roma"),
    ({"access_key": "AK", "secret_key": "SK", "endpoints": {"roma": "http://host:99999"}}, "endpoint for roma"),
])
def test_values_that_cannot_travel_in_headers_or_urls_fail_cleanly(capsys, monkeypatch, args, words):
    monkeypatch.delenv("HW_ENDPOINTS", raising=False)
    result = run_module(dict({"region": "cn-north-4"}, **args), lambda m: m.client, capsys)
    assert result["failed"] and words in result["msg"] and "Traceback" not in result["msg"]


ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
TRICKY_URLS = st.one_of(st.sampled_from(["http://[::1", "http://host:99999", "https://h\u00e9.example", "http://",
                                         "http://a b", "http://[fe80::1%eth0]:80", "http://*", "http://a..b",
                                         "http://-a.example", "http://[::1]:8080/api"]),
                        ANY_TEXT.map(lambda t: "http://" + t))


def use_like_a_request(module):
    """What the first request does with these values, without sending it: no exception may come out of here."""
    client = module.client
    socket.socket().settimeout(client.transport.timeout[1])
    headers = {"X-Project-Id": client.credentials.project_id or "", "X-Auth-Token": client.credentials.auth_token}
    for url in client.endpoints.values():
        prepared = requests.Request("GET", url + "/v3/x", headers=headers).prepare()
        for name, value in prepared.headers.items():  # as http.client will send them
            value.encode("latin-1")
            assert "\n" not in value and "\r" not in value, name
    module.exit_json(changed=False)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(timeout=st.one_of(st.just(30.0), st.floats(allow_nan=True, allow_infinity=True),
                         st.integers(-2 ** 70, 2 ** 70)),
       retries=st.one_of(st.just(5), st.integers(-2 ** 70, 2 ** 70)), token=st.one_of(st.just("tok"), ANY_TEXT),
       project=st.one_of(st.just("p1"), ANY_TEXT), region=st.one_of(st.just("cn-north-4"), ANY_TEXT),
       endpoint=st.one_of(st.just("http://127.0.0.1:9"), TRICKY_URLS))
def test_generated_arguments_end_in_a_clean_message_never_an_exception(
        capsys, timeout, retries, token, project, region, endpoint):
    args = {"timeout": timeout, "retries": retries, "auth_token": token or "x", "project_id": project or None,
            "region": region or "cn-north-4", "endpoints": {"drs": endpoint}}
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            use_like_a_request(HwCloudModule(argument_spec={}, supports_check_mode=True))
    output = capsys.readouterr().out
    result = json.loads(output)
    assert "exception" not in result and "Traceback" not in output
