# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How each request is authenticated: an AK/SK signature or an IAM token."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading

from ansible_collections.hwcloud.taskops.plugins.module_utils import signer
from ansible_collections.hwcloud.taskops.plugins.module_utils.redact import register_secret


class AkSkAuth:
    """Signs every attempt anew (fresh X-Sdk-Date), with the security token for temporary keys."""

    can_refresh = False

    def __init__(self, credentials):
        self.credentials = credentials

    def headers(self, method, host, path, query, headers, body, project_id=None):
        headers = dict(headers)
        if project_id:
            headers["X-Project-Id"] = project_id
        if self.credentials.security_token:
            headers["X-Security-Token"] = self.credentials.security_token
        return signer.sign(self.credentials.access_key, self.credentials.secret_key, method, host, path,
                           query, headers, body)

    def refresh(self, stale_token=None):
        return False


# Each call logs in again at most twice (see HwCloudClient._send); logins per module run are bounded too (generously:
# a long wait may see many expiries), so a token the service keeps rejecting cannot make a run loop.
MAX_LOGINS = 50


class TokenAuth:
    """Sends X-Auth-Token. With a password login, ``fetch`` gets a new token whenever the old one expires."""

    def __init__(self, token=None, fetch=None):
        self.token = token
        self.fetch = fetch
        self.logins = 0
        self._lock = threading.Lock()
        register_secret(token)

    @property
    def can_refresh(self):
        return self.fetch is not None and self.logins < MAX_LOGINS

    def ensure(self):
        with self._lock:
            if self.token is None and self.fetch is not None:
                self.token = self.fetch()
                self.logins += 1
                register_secret(self.token)

    def headers(self, method, host, path, query, headers, body, project_id=None):
        self.ensure()
        headers = dict(headers)
        headers["X-Auth-Token"] = self.token
        return headers

    def refresh(self, stale_token=None):
        """Log in again after the token expired; False when that is not possible (or would only loop).

        Parallel callers that all saw the same expired token share one new login.
        """
        with self._lock:
            if stale_token is not None and self.token not in (None, stale_token):
                return True  # another thread already logged in again
            if not self.can_refresh:
                return False
            self.token = None
        self.ensure()
        return True


def password_auth_body(credentials, project_id=None):
    """The IAM body for a project-scoped token (scope by id when known, else by region name)."""
    scope = {"id": project_id} if project_id else {"name": credentials.region}
    return {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {"user": {"name": credentials.user_name, "password": credentials.password,
                                      "domain": {"name": credentials.domain_name}}},
            },
            "scope": {"project": scope},
        }
    }
