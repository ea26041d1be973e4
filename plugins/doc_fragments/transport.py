# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    DOCUMENTATION = r"""
options:
  endpoints:
    description:
      - Base URLs that replace the default endpoints, keyed by service name (V(iam), V(roma), V(drs), V(vias)).
        A URL may carry a port and a path prefix.
      - The defaults are C(https://<service>.<region>.myhuaweicloud.com) (C(.myhuaweicloud.eu) in V(eu-west-101)),
        with the regional IAM endpoint; use V(https://iam.myhuaweicloud.com) for the global IAM endpoint.
      - 'Env E(HW_ENDPOINTS), a JSON object, for example C({"roma": "https://roma.example.internal"}).
        Setting it once (in C(module_defaults) or as an AWX credential) points every module at a private cloud
        or at the bundled emulator.'
    type: dict
  timeout:
    description:
      - Seconds to wait for an answer to one HTTP request. Connecting is bounded by the smaller of this
        value and 10 seconds.
    type: float
    default: 30
  validate_certs:
    description:
      - Verify TLS certificates. Turning this off emits a warning.
    type: bool
    default: true
  ca_bundle:
    description:
      - CA bundle file used to verify TLS certificates, for private clouds with their own CA.
      - Env E(HW_CA_BUNDLE); E(REQUESTS_CA_BUNDLE) also keeps working.
    type: path
  retries:
    description:
      - How many times a request is retried after throttling (HTTP 429), a server error (500, 502, 503, 504),
        a connection error or a timeout, with jittered exponential backoff that honours C(Retry-After).
        All retries of one request together stop after 120 seconds.
      - Reads are always retried. A write is retried only when it certainly never reached the service
        (429 from the gateway, or no connection); otherwise the module re-reads the current state instead
        of repeating the write.
    type: int
    default: 5
notes:
  - Requires the Python libraries C(requests) and C(jsonschema) on the host that runs the module.
  - Proxies are taken from the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) variables.
"""
