"""Every documented error-body shape, non-JSON bodies, and the fields a module reports."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import error_from_response

CASES = [
    ("flat FDI", 404, b'{"error_code":"FDI.3083","error_msg":"One or more scheduled tasks are not configured '
                      b'with scheduled plans."}', "FDI.3083", "One or more scheduled tasks"),
    ("ROMA nested", 400, b'{"code":400,"reason":{"error_code":"FDI.3149","error_msg":"The task ID is empty."}}',
     "FDI.3149", "The task ID is empty."),
    ("DRS", 400, b'{"error_code":"DRS.M00202","error_msg":"The value of jobId is invalid."}', "DRS.M00202",
     "jobId is invalid"),
    ("VIAS", 400, b'{"error_code":"VIAS.00010002","error_msg":"The object does not exist.","detail":"batch x",'
                  b'"params":[],"reason":"no such batch","advice":"check the id"}', "VIAS.00010002",
     "object does not exist"),
    ("APIGW", 401, b'{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk '
                   b'signature fail","request_id":"r1"}', "APIGW.0301", "verify aksk signature fail"),
    ("camelCase", 400, b'{"errorCode":"X.1","errorMsg":"camel"}', "X.1", "camel"),
    ("keystone", 401, b'{"error":{"code":401,"message":"The request you have made requires authentication.",'
                      b'"title":"Unauthorized"}}', "Unauthorized", "requires authentication"),
    ("keystone with code", 400, b'{"error":{"message":"bad","error_code":"IAM.0001"}}', "IAM.0001", "bad"),
]


@pytest.mark.parametrize("name,status,body,code,message", CASES, ids=[c[0] for c in CASES])
def test_error_shapes(name, status, body, code, message):
    error = error_from_response(status, body, {"X-Request-Id": "req-1"}, "roma", "batch start")
    assert error.code == code
    assert message in error.message
    assert error.status == status and error.request_id == "req-1"
    text = str(error)
    assert text.startswith("roma batch start failed, HTTP %d, %s: " % (status, code))
    assert "(request id req-1)" in text


def test_vias_details_are_kept():
    error = error_from_response(400, CASES[3][2], {}, "vias", "batch start")
    assert error.details == {"detail": "batch x", "reason": "no such batch", "advice": "check the id"}


def test_html_body():
    body = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    error = error_from_response(502, body, {}, "drs", "batch status")
    assert error.code is None
    assert "not JSON but an HTML page titled '502 Bad Gateway'" in error.message


def test_truncated_json_and_empty_body():
    assert "not JSON but '{\"error_code\":\"FDI" in error_from_response(500, b'{"error_code":"FDI', {}, "r", "o").message
    assert "an empty body" in error_from_response(503, b"", {}, "r", "o").message


def test_json_without_code():
    error = error_from_response(500, b'{"foo": 1}', {}, "vias", "list")
    assert error.message.startswith("unexpected error body")


def test_to_dict_and_retry_after():
    error = error_from_response(429, b'{"error_code":"APIGW.0308","error_msg":"throttled"}',
                                {"retry-after": "2", "X-Request-Id": "q"}, "drs", "batch status")
    assert error.retry_after == "2"
    assert error.to_dict() == {"status": 429, "error_code": "APIGW.0308", "error_message": "throttled",
                               "request_id": "q", "service": "drs", "operation": "batch status", "details": {}}


def test_secrets_in_error_text_are_masked():
    body = b'{"error_code":"APIGW.0301","error_msg":"canonicalRequest X-Auth-Token:abc123 Signature=deadbeef"}'
    error = error_from_response(401, body, {}, "roma", "list")
    assert "abc123" not in str(error) and "deadbeef" not in str(error)


def test_a_rejected_signature_names_the_likely_causes():
    body = (b'{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature '
            b'fail, canonicalRequest:POST|/v3/x/|...|"}')
    error = error_from_response(401, body, {}, "drs", "batch pause jobs")
    assert error.code == "APIGW.0301"
    assert "secret key" in error.message and "clock" in error.message
    assert len(error.message) < 500
