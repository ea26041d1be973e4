# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""One exception type for every API failure, and the parser for error bodies."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.hwcloud.taskops.plugins.module_utils.redact import redact_text

# Pairs searched in order, as the official SDK does; nested dicts are searched too,
# which covers ROMA's {"code": 400, "reason": {"error_code": ..., "error_msg": ...}}.
_CODE_MESSAGE_KEYS = (("error_code", "error_msg"), ("errorCode", "errorMsg"), ("code", "message"))
_BODY_EXCERPT = 300


class HwCloudError(Exception):
    """An API call failed, or its answer could not be used.

    ``outcome_unknown`` is true when a write was sent but no answer arrived
    (timeout, reset or gateway error): the caller must re-read state to learn
    whether the write took effect.
    """

    def __init__(self, message, status=None, code=None, request_id=None, service=None,
                 operation=None, details=None, outcome_unknown=False, retry_after=None):
        super(HwCloudError, self).__init__(message)
        self.message = redact_text(message)
        self.status = status
        self.code = code
        self.request_id = request_id
        self.service = service
        self.operation = operation
        self.details = details or {}
        self.outcome_unknown = outcome_unknown
        self.retry_after = retry_after

    def __str__(self):
        where = " ".join(p for p in (self.service, self.operation) if p)
        parts = ["%s failed" % where if where else "Huawei Cloud API call failed"]
        if self.status:
            parts.append("HTTP %s" % self.status)
        if self.code:
            parts.append(self.code)
        text = ": ".join([", ".join(parts), self.message])
        if self.request_id:
            text += " (request id %s)" % self.request_id
        return text

    @property
    def item_code(self):
        """The code to report per item: the API's, else the HTTP status, else what kind of failure it was."""
        if self.code:
            return self.code
        if self.status:
            return "HTTP %s" % self.status
        return "OUTCOME_UNKNOWN" if self.outcome_unknown else "NO_ANSWER"

    def to_dict(self):
        """The fields a module returns on failure; never holds a secret."""
        return {
            "status": self.status,
            "error_code": self.code,
            "error_message": self.message,
            "request_id": self.request_id,
            "service": self.service,
            "operation": self.operation,
            "details": self.details,
        }


def _find_pair(data, depth=0):
    if not isinstance(data, dict) or depth > 4:
        return None, None
    for code_key, message_key in _CODE_MESSAGE_KEYS:
        code, message = data.get(code_key), data.get(message_key)
        # {"code": 400, "reason": {...}} carries only the HTTP status at top level.
        if isinstance(code, str) and code and (message is None or isinstance(message, str)):
            return code, message
    for value in data.values():
        code, message = _find_pair(value, depth + 1)
        if code:
            return code, message
    return None, None


def _keystone(data):
    # IAM (keystone) shape: {"error": {"code": 401, "message": "...", "title": "Unauthorized"}}
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and "message" in error:
        code = error.get("error_code") or error.get("title")
        return (str(code) if code else None), error.get("message")
    return None, None


def describe_body(text):
    """A short, safe description of a body that is not the expected JSON."""
    if re.search(r"<\s*(html|body|head|title)\b", text, re.IGNORECASE):
        title = re.search(r"<title>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
        return "an HTML page%s" % (" titled '%s'" % title.group(1).strip() if title else "")
    text = " ".join(text.split())
    if not text:
        return "an empty body"
    if len(text) > _BODY_EXCERPT:
        text = text[:_BODY_EXCERPT] + "..."
    return "'%s'" % text


def error_from_response(status, body, headers, service, operation):
    """Build an HwCloudError from a failed HTTP answer (status >= 400)."""
    request_id = _header(headers, "X-Request-Id")
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else (body or "")
    details = {}
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        code, message = _keystone(data)
        if not message:
            code, message = _find_pair(data)
        for extra in ("detail", "reason", "advice", "params", "encoded_authorization_message"):
            value = data.get(extra)
            if value and not isinstance(value, dict):
                details[extra] = value
        if not message and not code:
            message = "unexpected error body %s" % describe_body(text)
    else:
        code, message = None, "response was not JSON but %s" % describe_body(text)
    if code in ("APIGW.0301", "APIC.0301") and "signature" in (message or ""):
        # The gateway's canonical request says nothing a person can act on; the likely causes do.
        said = re.split(r",?\s*canonicalRequest", message or "", flags=re.I)[0]
        message = ("the request signature was rejected: check that the secret key belongs to the access key (and, "
                   "for temporary keys, that the security token is given), and that this machine's clock is right "
                   "(the signature date must be within 15 minutes of the service's); the gateway said: %s" % said)
    return HwCloudError(message or "no error message given", status=status, code=code, request_id=request_id,
                        service=service, operation=operation, details=details,
                        retry_after=_header(headers, "Retry-After"))


def _header(headers, name):
    if not headers:
        return None
    for key, value in headers.items():
        if key.lower() == name.lower():
            return value
    return None
