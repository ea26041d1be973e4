"""Gateway authentication: X-Auth-Token, or an SDK-HMAC-SHA256 signature checked from the raw request.

The signature is recomputed the way the API gateway documents it: from the method,
the raw path, the raw query string, the headers named in SignedHeaders exactly as
they arrived, and the SHA-256 of the raw body. X-Sdk-Date must be within 15 minutes.
"""

import calendar
import hashlib
import hmac
import re
import secrets
import time
from urllib.parse import quote, unquote

from hwc_emulator import errors

SIGNATURE_WINDOW = 15 * 60
LOCKOUT_AFTER = 5
LOCKOUT_SECONDS = 5 * 60
_AUTH_RE = re.compile(r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$")


class Caller:
    """Who made the request: the account domain and the project the credentials may act on."""

    def __init__(self, kind, project_ids, principal):
        self.kind = kind
        self.project_ids = project_ids
        self.principal = principal


def _unauthorized(message, request_id):
    return errors.gateway(401, "APIGW.0301", "Incorrect IAM authentication information: %s" % message, request_id)


def _encode(text):
    return quote(text, safe="~")


def canonical_query_from_raw(raw_query):
    pairs = []
    for part in raw_query.split("&") if raw_query else []:
        if not part:
            continue
        key, dummy, value = part.partition("=")
        pairs.append((unquote(key), unquote(value)))
    return "&".join("%s=%s" % (_encode(k), _encode(v)) for k, v in sorted(pairs))


def canonical_path_from_raw(raw_path):
    path = "/".join(_encode(segment) for segment in unquote(raw_path).split("/"))
    return path if path.endswith("/") else path + "/"


def canonical_request(method, raw_path, raw_query, headers, signed_names, body):
    lines = []
    for name in signed_names:
        value = headers.get(name)
        lines.append("%s:%s" % (name, (value or "").strip()))
    content_hash = headers.get("x-sdk-content-sha256") if body else None
    payload = content_hash or hashlib.sha256(body or b"").hexdigest()
    return "\n".join([method, canonical_path_from_raw(raw_path), canonical_query_from_raw(raw_query),
                      "\n".join(lines) + "\n", ";".join(signed_names), payload])


def parse_sdk_date(value):
    try:
        return calendar.timegm(time.strptime(value, "%Y%m%dT%H%M%SZ"))
    except (TypeError, ValueError):
        return None


class Authenticator:
    def __init__(self, world):
        self.world = world

    # ---- IAM tokens -----------------------------------------------------------------------
    def issue_token(self, user, project_id):
        token = "MII" + secrets.token_urlsafe(96)
        now = self.world.clock.now()
        self.world.tokens[token] = {"user": user, "project_id": project_id, "issued": now,
                                    "expires": now + self.world.token_lifetime}
        return token, self.world.tokens[token]

    def expire_tokens(self):
        for record in self.world.tokens.values():
            record["expires"] = self.world.clock.now() - 1

    # ---- every service call ---------------------------------------------------------------
    def authenticate(self, method, raw_path, raw_query, headers, body, request_id):
        """Return a Caller or raise ApiError 401 APIGW.0301. ``headers`` has lower-case names."""
        token = headers.get("x-auth-token")
        if token:
            record = self.world.tokens.get(token)
            if record is None:
                raise _unauthorized("decrypt token fail", request_id)
            if record["expires"] <= self.world.clock.now():
                raise _unauthorized("The token must be updated.", request_id)
            return Caller("token", {record["project_id"]}, record["user"])
        authorization = headers.get("authorization")
        if not authorization:
            raise _unauthorized("no X-Auth-Token header and no AK/SK signature", request_id)
        return self._verify_signature(method, raw_path, raw_query, headers, body, authorization, request_id)

    def _verify_signature(self, method, raw_path, raw_query, headers, body, authorization, request_id):
        match = _AUTH_RE.match(authorization.strip())
        if not match:
            raise _unauthorized("verify aksk signature fail (malformed Authorization header)", request_id)
        access_key, signed_headers, signature = match.groups()
        key = self.world.access_keys.get(access_key)
        if key is None:
            raise _unauthorized("Get secretKey failed", request_id)
        now = self.world.clock.now()
        failures = self.world.ak_failures.setdefault(access_key, {"count": 0, "locked_until": 0})
        if self.world.ak_lockout and failures["locked_until"] > now:
            raise _unauthorized("AK access failed to reach the limit, forbidden", request_id)
        sdk_date = parse_sdk_date(headers.get("x-sdk-date"))
        if sdk_date is None or abs(now - sdk_date) > SIGNATURE_WINDOW:
            self._count_failure(failures, now)
            raise _unauthorized("verify aksk signature fail (X-Sdk-Date missing or more than 15 minutes off)",
                                request_id)
        names = signed_headers.split(";")
        if "x-sdk-date" not in names or any(name != name.lower() for name in names):
            self._count_failure(failures, now)
            raise _unauthorized("verify aksk signature fail (SignedHeaders must include x-sdk-date)", request_id)
        if key.get("temporary"):
            if headers.get("x-security-token") != key.get("security_token") or "x-security-token" not in names:
                self._count_failure(failures, now)
                raise _unauthorized("verify aksk signature fail (temporary credentials need a signed "
                                    "X-Security-Token)", request_id)
        canonical = canonical_request(method, raw_path, raw_query, headers, names, body)
        string_to_sign = "SDK-HMAC-SHA256\n%s\n%s" % (headers["x-sdk-date"],
                                                      hashlib.sha256(canonical.encode("utf-8")).hexdigest())
        expected = hmac.new(key["secret_key"].encode("utf-8"), string_to_sign.encode("utf-8"),
                            hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature.lower()):
            self._count_failure(failures, now)
            # Like the real gateway, show the canonical request it computed, with '|' for newlines.
            raise _unauthorized("verify aksk signature fail, canonicalRequest: %s" % canonical.replace("\n", "|"),
                                request_id)
        failures["count"] = 0
        return Caller("aksk", set(self.world.projects), access_key)

    def _count_failure(self, failures, now):
        failures["count"] += 1
        if failures["count"] > LOCKOUT_AFTER:
            failures["locked_until"] = now + LOCKOUT_SECONDS
            failures["count"] = 0
