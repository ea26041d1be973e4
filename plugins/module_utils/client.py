# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The small API the service adapters use: ``HwCloudClient.call()``.

It ties credentials, endpoints, authentication, transport, error parsing and
response validation together. One client (one HTTP session, one token) serves
a whole module run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from urllib.parse import urlsplit

from ansible_collections.hwcloud.taskops.plugins.module_utils.auth import AkSkAuth, TokenAuth, password_auth_body
from ansible_collections.hwcloud.taskops.plugins.module_utils.credentials import resolve_credentials
from ansible_collections.hwcloud.taskops.plugins.module_utils.endpoints import (
    ENDPOINTS_ENV, parse_endpoints_env, resolve_endpoints,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError, error_from_response
from ansible_collections.hwcloud.taskops.plugins.module_utils.signer import canonical_query
from ansible_collections.hwcloud.taskops.plugins.module_utils.transport import Transport
from ansible_collections.hwcloud.taskops.plugins.module_utils.validation import validate_response

CONTENT_TYPE = "application/json;charset=UTF-8"
# Extra headers some services document (DRS: X-Language, default en-us).
SERVICE_HEADERS = {"drs": {"X-Language": "en-us"}}
# A token can expire again right after a new login (a clock edge, or a revocation racing the login).
LOGINS_PER_CALL = 2

_TOKEN_SCHEMA = {
    "type": "object",
    "required": ["token"],
    "properties": {"token": {"type": "object", "required": ["project"], "properties": {
        "project": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "minLength": 1}}},
    }}},
}
_PROJECTS_SCHEMA = {
    "type": "object",
    "required": ["projects"],
    "properties": {"projects": {"type": "array", "items": {
        "type": "object", "required": ["id", "name"],
        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
    }}},
}


class HwCloudClient:
    def __init__(self, credentials, endpoints, transport):
        self.credentials = credentials
        self.endpoints = endpoints
        self.transport = transport
        self._project_id = credentials.project_id
        if credentials.method == "aksk":
            self.auth = AkSkAuth(credentials)
        elif credentials.method == "token":
            self.auth = TokenAuth(token=credentials.auth_token)
        else:
            self.auth = TokenAuth(fetch=self._fetch_password_token)

    @classmethod
    def from_params(cls, params, environ=None, warn=None):
        """Build a client from module parameters; raises ValueError subclasses on bad configuration."""
        environ = os.environ if environ is None else environ
        credentials = resolve_credentials(params, environ)
        overrides = params.get("endpoints") or parse_endpoints_env(environ.get(ENDPOINTS_ENV))
        endpoints = resolve_endpoints(credentials.region, overrides)
        transport = Transport(timeout=params.get("timeout") or 30, validate_certs=params.get("validate_certs", True),
                              ca_bundle=params.get("ca_bundle"), retries=params.get("retries", 5),
                              warn=warn, environ=environ, concurrency=params.get("max_concurrency") or 1)
        return cls(credentials, endpoints, transport)

    @property
    def api_requests(self):
        return self.transport.request_count

    @property
    def project_id(self):
        if not self._project_id:
            self._project_id = self._resolve_project_id()
        return self._project_id

    def call(self, service, method, path, operation, query=None, body=None, idempotent=True, schema=None):
        """Make one API call and return its parsed JSON body.

        ``path`` may hold ``{project_id}``. ``idempotent`` is False for writes: they are
        never retried once they may have reached the service. Raises HwCloudError.
        """
        return self.call_with_id(service, method, path, operation, query, body, idempotent, schema)[0]

    def call_with_id(self, service, method, path, operation, query=None, body=None, idempotent=True, schema=None):
        """Like call(), but returns (body, X-Request-Id) so results can cite the request."""
        if "{project_id}" in path:
            path = path.replace("{project_id}", self.project_id)
        response = self._send(service, method, path, operation, query, body, idempotent, self.auth)
        try:
            data = response.json(service, operation)
            if schema is not None:
                validate_response(data, schema, service, operation, response.request_id)
        except HwCloudError as exc:
            if not idempotent:
                # The write may have taken effect all the same: its outcome is unknown, and reading state tells.
                exc.outcome_unknown = True
                exc.message = "the answer to this write could not be read (%s), so whether it took effect is " \
                              "unknown" % exc.message
            raise
        return data, response.request_id

    def _send(self, service, method, path, operation, query, body, idempotent, auth):
        base = self.endpoints[service]
        split = urlsplit(base)
        full_path = split.path.rstrip("/") + path
        query_string = canonical_query(query)
        url = "%s://%s%s%s" % (split.scheme, split.netloc, full_path, "?" + query_string if query_string else "")
        payload = json.dumps(body, separators=(",", ":"), sort_keys=True).encode("utf-8") if body is not None else b""
        base_headers = {"Content-Type": CONTENT_TYPE}
        base_headers.update(SERVICE_HEADERS.get(service, {}))
        project_id = self._project_id if service != "iam" else None

        sent = {}

        def prepare():
            if auth is None:
                return dict(base_headers)
            headers = auth.headers(method, split.netloc, full_path, query, base_headers, payload, project_id)
            sent["token"] = headers.get("X-Auth-Token")
            return headers

        for attempt in range(1 + LOGINS_PER_CALL):
            response = self.transport.send(method, url, prepare, payload, service, operation, idempotent)
            # An expired token (401) was never acted on, so a new login and a resend are safe (bounded per call
            # here, and per run by TokenAuth).
            if response.status == 401 and attempt < LOGINS_PER_CALL and auth is not None and \
                    auth.refresh(sent.get("token")):
                continue
            break
        if 300 <= response.status < 400:
            location = response.headers.get("Location") or "no Location header"
            raise HwCloudError("the service answered with a redirect (HTTP %d to %s), which is not followed: check "
                               "the endpoint" % (response.status, location), status=response.status, service=service,
                               operation=operation, request_id=response.request_id, outcome_unknown=not idempotent)
        if response.status >= 400:
            error = error_from_response(response.status, response.body, response.headers, service, operation)
            error.outcome_unknown = not idempotent and response.status >= 500
            raise error
        return response

    def _fetch_password_token(self):
        body = password_auth_body(self.credentials, self.credentials.project_id)
        response = self._send("iam", "POST", "/v3/auth/tokens", "create token", {"nocatalog": "true"}, body,
                              True, None)
        data = response.json("iam", "create token")
        validate_response(data, _TOKEN_SCHEMA, "iam", "create token", response.request_id)
        token = response.headers.get("X-Subject-Token")
        if not token:
            raise HwCloudError("IAM answered without an X-Subject-Token header", status=response.status,
                               service="iam", operation="create token", request_id=response.request_id)
        if not self._project_id:
            self._project_id = data["token"]["project"]["id"]
        return token

    def _resolve_project_id(self):
        if self.credentials.method == "password":
            self.auth.ensure()
            if self._project_id:
                return self._project_id
        region = self.credentials.region
        data = self.call("iam", "GET", "/v3/projects", "list projects", query={"name": region},
                         schema=_PROJECTS_SCHEMA)
        matches = [p["id"] for p in data["projects"] if p["name"] == region]
        if len(matches) != 1:
            raise HwCloudError("%s project named %r is visible to these credentials; set project_id (or env "
                               "HW_PROJECT_ID)" % ("no" if not matches else "more than one", region),
                               service="iam", operation="list projects")
        return matches[0]
