# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HwCloudModule: the AnsibleModule every hwcloud.taskops module is built on.

It adds the shared auth and transport options (documented by the
``hwcloud.taskops.auth`` doc fragment), builds the client lazily, and turns every
HwCloudError or configuration error into ``fail_json`` with a clear message:
never a traceback and never a secret.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import os

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.hwcloud.taskops.plugins.module_utils.client import HwCloudClient
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError
from ansible_collections.hwcloud.taskops.plugins.module_utils.redact import redact, redact_text

AUTH_ARGUMENT_SPEC = dict(
    auth_type=dict(type="str", choices=["aksk", "password", "token"]),
    access_key=dict(type="str", no_log=False),
    secret_key=dict(type="str", no_log=True),
    security_token=dict(type="str", no_log=True),
    user_name=dict(type="str"),
    password=dict(type="str", no_log=True),
    domain_name=dict(type="str"),
    auth_token=dict(type="str", no_log=True),
    region=dict(type="str"),
    project_id=dict(type="str"),
    endpoints=dict(type="dict"),
    timeout=dict(type="float", default=30.0),
    validate_certs=dict(type="bool", default=True),
    ca_bundle=dict(type="path"),
    retries=dict(type="int", default=5),
)


MAX_TIMEOUT = 3600
MAX_RETRIES = 100


class HwCloudModule(AnsibleModule):
    def __init__(self, argument_spec, **kwargs):
        spec = dict(AUTH_ARGUMENT_SPEC)
        spec.update(argument_spec)
        super(HwCloudModule, self).__init__(argument_spec=spec, **kwargs)
        self._client = None
        self._validate_transport_options()

    def _validate_transport_options(self):
        timeout = self.params["timeout"]
        if not (math.isfinite(timeout) and 0 < timeout <= MAX_TIMEOUT):
            self.fail_json(msg="timeout must be a number of seconds above 0 and at most %d, got %s"
                           % (MAX_TIMEOUT, timeout))
        if not 0 <= self.params["retries"] <= MAX_RETRIES:
            self.fail_json(msg="retries must be between 0 and %d, got %s" % (MAX_RETRIES, self.params["retries"]))
        ca_bundle = self.params.get("ca_bundle")
        if ca_bundle and not os.path.isfile(ca_bundle):
            self.fail_json(msg="ca_bundle %s is not a readable file" % ca_bundle)

    @property
    def client(self):
        """The API client, created on first use (config errors fail the module cleanly)."""
        if self._client is None:
            try:
                self._client = HwCloudClient.from_params(self.params, warn=self.warn)
            except ValueError as exc:
                self.fail_json(msg=redact_text(str(exc)))
            except HwCloudError as exc:
                self.fail_api_error(exc)
        return self._client

    @property
    def api_requests(self):
        return self._client.api_requests if self._client else 0

    def fail_api_error(self, exc, msg=None, **result):
        """fail_json from an HwCloudError, with its fields and whatever partial result exists."""
        fields = exc.to_dict()
        result.setdefault("api_requests", self.api_requests)
        result.update(error=fields)
        text = str(exc) if msg is None else "%s: %s" % (msg, exc)
        self.fail_json(msg=redact_text(text), **redact(result))
