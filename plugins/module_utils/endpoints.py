# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Service base URLs: the public defaults and the user's overrides."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

SERVICES = ("iam", "roma", "drs", "vias")
ENDPOINTS_ENV = "HW_ENDPOINTS"
IAM_GLOBAL_ENDPOINT = "https://iam.myhuaweicloud.com"

# Regions served under another domain. eu-west-101 (Huawei Cloud Europe) is documented
# for DRS and IAM; applying it to every service is UNCONFIRMED but is the only domain
# that region has, so it is the safest guess. Override with the endpoints option.
_REGION_DOMAINS = {"eu-west-101": "myhuaweicloud.eu"}
_DEFAULT_DOMAIN = "myhuaweicloud.com"


class EndpointError(ValueError):
    pass


def default_endpoint(service, region):
    domain = _REGION_DOMAINS.get(region, _DEFAULT_DOMAIN)
    return "https://%s.%s.%s" % (service, region, domain)


def parse_endpoints_env(text):
    """Parse the HW_ENDPOINTS JSON object; a clear error names the variable."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise EndpointError("%s must be a JSON object mapping service names to URLs: %s" % (ENDPOINTS_ENV, exc))
    if not isinstance(value, dict):
        raise EndpointError("%s must be a JSON object mapping service names to URLs" % ENDPOINTS_ENV)
    return value


def resolve_endpoints(region, overrides):
    """Map every service to its base URL (scheme and host, optionally a port and path prefix)."""
    resolved = {}
    overrides = overrides or {}
    unknown = sorted(set(overrides) - set(SERVICES))
    if unknown:
        raise EndpointError("unknown service(s) %s in endpoints; known services are %s"
                            % (", ".join(unknown), ", ".join(SERVICES)))
    for service in SERVICES:
        url = overrides.get(service)
        if url:
            if not isinstance(url, str) or not url.startswith(("https://", "http://")):
                raise EndpointError("endpoint for %s must be an http(s) URL, got %r" % (service, url))
            resolved[service] = url.rstrip("/")
        elif region:
            resolved[service] = default_endpoint(service, region)
    return resolved
