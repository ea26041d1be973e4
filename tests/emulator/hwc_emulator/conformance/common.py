"""What the conformance tests share: the scenario, the credentials, and a client built on the official SDK.

The clients are the official Huawei Cloud SDK (test-only dependency) and plain
requests signed by the SDK's signer, so the emulator is checked against the vendor's
own client code, never against hwcloud.taskops.
"""
import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

from hwc_emulator.testing import InProcessEmulator
from hwc_emulator.world import DEFAULT_CREDENTIALS, DEFAULT_PROJECT_ID

AK = DEFAULT_CREDENTIALS["access_keys"][0]["access_key"]
SK = DEFAULT_CREDENTIALS["access_keys"][0]["secret_key"]
TEMP = DEFAULT_CREDENTIALS["access_keys"][1]
USER = DEFAULT_CREDENTIALS["users"][0]
DOMAIN = DEFAULT_CREDENTIALS["domain"]["name"]
PROJECT = DEFAULT_PROJECT_ID
DELAY = 0.2
# For assertions that a transition has not happened yet: long enough to hold on a loaded machine.
SLOW = 1.0

DRS_JOBS = [
    {"id": "11111111-1111-4111-8111-111111111111", "name": "cfg-job", "status": "CONFIGURATION"},
    {"id": "22222222-2222-4222-8222-222222222222", "name": "incr-job", "status": "INCRE_TRANSFER_STARTED"},
    {"id": "33333333-3333-4333-8333-333333333333", "name": "full-job", "status": "FULL_TRANSFER_STARTED",
     "task_type": "FULL_TRANS"},
    {"id": "44444444-4444-4444-8444-444444444444", "name": "paused-job", "status": "PAUSING",
     "resume_status": "INCRE_TRANSFER_STARTED"},
    {"id": "55555555-5555-4555-8555-555555555555", "name": "failed-job", "status": "INCRE_TRANSFER_FAILED"},
    {"id": "66666666-6666-4666-8666-666666666666", "name": "startfail-job", "status": "START_JOB_FAILED"},
    {"id": "8d0e8e36-a618-490d-8a46-8c61ac9jb502", "name": "sample-id-job", "status": "INCRE_TRANSFER_STARTED"},
]
SCENARIO = {
    "seed": 3,
    "delays": {"roma": DELAY, "drs": DELAY, "vias": DELAY},
    "roma": {"instances": [{"id": "inst-1", "tasks": [
        {"id": "t-rt-run", "name": "orders-realtime", "type": "realtime", "status": "running", "tag": "orders"},
        {"id": "t-rt-stop", "name": "orders-backfill", "type": "realtime", "status": "stopped", "tag": "orders"},
        {"id": "t-tm-plan", "name": "billing-hourly", "type": "timing", "status": "stopped", "tag": "billing"},
        {"id": "t-tm-noplan", "name": "billing-adhoc", "type": "timing", "status": "stopped",
         "dispatch_plan": False},
    ], "generate": {"count": 21, "prefix": "bulk"}}]},
    "drs": {"jobs": DRS_JOBS},
    "vias": {"batches": [
        {"id": "b0000000000000000000000000000001", "name": "entrance-cams", "tasks": [
            {"id": "c0000000000000000000000000000001", "name": "cam-1", "state": "RUNNING"},
            {"id": "c0000000000000000000000000000002", "name": "cam-2", "state": "RUNNING"},
            {"id": "c0000000000000000000000000000003", "name": "cam-3", "state": "FROZEN"}]},
        {"id": "b0000000000000000000000000000002", "name": "parking-cams", "task_count": 4, "state": "STOPPED"},
    ]},
}


class Running(InProcessEmulator):
    """The in-process emulator, with raw signed requests and SDK clients to drive it."""

    def __init__(self, scenario):
        super().__init__(scenario, seed=7)
        self.http = requests.Session()

    def token(self):
        response = self.http.post(self.url + "/v3/auth/tokens", json={"auth": {
            "identity": {"methods": ["password"], "password": {"user": {
                "name": USER["name"], "password": USER["password"], "domain": {"name": DOMAIN}}}},
            "scope": {"project": {"name": "cn-north-4"}}}}, timeout=10)
        assert response.status_code == 201, response.text
        return response.headers["X-Subject-Token"]

    def signed(self, method, path, query=None, body=b"", headers=None, ak=AK, sk=SK, tamper=None):
        """A raw request signed by the official SDK signer; ``tamper(request)`` may alter it after signing."""
        request = SdkRequest(method=method, schema="http", host=self.url[len("http://"):], resource_path=path,
                             query_params=list((query or {}).items()),
                             header_params=dict({"Content-Type": "application/json"}, **(headers or {})), body=body)
        request = Signer(type("C", (), {"ak": ak, "sk": sk})()).sign(request)
        if tamper:
            tamper(request)
        return self.http.request(method, self.url + request.uri, headers=request.header_params,
                                 data=request.body or None, timeout=10)

    def sdk(self, client_class, token=None):
        config = HttpConfig.get_default_config()
        config.timeout = 10
        builder = client_class.new_builder().with_http_config(config).with_endpoints([self.url]) \
            .with_credentials(BasicCredentials(AK, SK, PROJECT))
        if token:
            def use_token(request=None, **kwargs):
                request.header_params.pop("Authorization", None)
                request.header_params["X-Auth-Token"] = token
            builder = builder.with_http_handler(HttpHandler().add_request_handler(use_token))
        return builder.build()

    def close(self):
        self.http.close()
        super().close()
