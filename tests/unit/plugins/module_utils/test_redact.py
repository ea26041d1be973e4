from ansible_collections.hwcloud.taskops.plugins.module_utils.redact import (
    MASK, redact, redact_headers, redact_text, register_secret,
)


def test_headers():
    headers = redact_headers({"Authorization": "SDK-HMAC-SHA256 Access=A, Signature=ff", "X-Auth-Token": "t",
                              "x-subject-token": "s", "X-Security-Token": "st", "Content-Type": "json"})
    assert headers == {"Authorization": MASK, "X-Auth-Token": MASK, "x-subject-token": MASK,
                       "X-Security-Token": MASK, "Content-Type": "json"}


def test_nested_data_and_registered_values():
    register_secret("s3cr3t-value")
    data = {"password": "p", "nested": [{"secret_key": "k", "note": "key is s3cr3t-value"}], "count": 3}
    assert redact(data) == {"password": MASK, "nested": [{"secret_key": MASK, "note": "key is %s" % MASK}],
                            "count": 3}


def test_text_patterns():
    text = 'X-Auth-Token: abc.def Signature=0a1b2c "password": "pw" Authorization=SDK-HMAC'
    out = redact_text(text)
    for secret in ("abc.def", "0a1b2c", '"pw"', "SDK-HMAC"):
        assert secret not in out
