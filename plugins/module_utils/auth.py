# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How each request is authenticated: an AK/SK signature or an IAM token."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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

    def refresh(self):
        return False


class TokenAuth:
    """Sends X-Auth-Token. With a password login, ``fetch`` gets a new token after expiry (once)."""

    def __init__(self, token=None, fetch=None):
        self.token = token
        self.fetch = fetch
        self.refreshed = False
        register_secret(token)

    @property
    def can_refresh(self):
        return self.fetch is not None and not self.refreshed

    def ensure(self):
        if self.token is None and self.fetch is not None:
            self.token = self.fetch()
            register_secret(self.token)

    def headers(self, method, host, path, query, headers, body, project_id=None):
        self.ensure()
        headers = dict(headers)
        headers["X-Auth-Token"] = self.token
        return headers

    def refresh(self):
        """Re-authenticate once per module run; False when that is not possible."""
        if not self.can_refresh:
            return False
        self.refreshed = True
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
