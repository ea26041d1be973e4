"""HwCloudModule turns configuration and API errors into clean fail_json results without secrets."""
import json

import pytest

from ansible.module_utils.testing import patch_module_args

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


def test_bad_transport_options(capsys):
    result = run_module({"timeout": 0}, lambda m: None, capsys)
    assert result["msg"] == "timeout must be greater than 0, got 0.0"
