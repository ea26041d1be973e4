# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Service base URLs: the public defaults and the user's overrides."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import re

from urllib.parse import urlsplit

SERVICES = ("iam", "roma", "drs", "vias")
ENDPOINTS_ENV = "HW_ENDPOINTS"
IAM_GLOBAL_ENDPOINT = "https://iam.myhuaweicloud.com"

# Regions served under another domain. eu-west-101 (Huawei Cloud Europe) is documented
# for DRS and IAM; applying it to every service is UNCONFIRMED but is the only domain
# that region has, so it is the safest guess. Override with the endpoints option.
_REGION_DOMAINS = {"eu-west-101": "myhuaweicloud.eu"}
_DEFAULT_DOMAIN = "myhuaweicloud.com"


# Regions with a regional IAM host, as the official SDK lists them (huaweicloudsdkcore auth/endpoint.py, 3.1.219);
# every other region is served by the global IAM host (for example cn-south-4, ru-northwest-2, ap-southeast-5).
REGIONAL_IAM = frozenset((
    "cn-north-2", "cn-north-4", "cn-north-1", "cn-east-2", "cn-east-3", "cn-south-1", "cn-south-2", "cn-southwest-2",
    "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "af-south-1", "sa-brazil-1", "la-south-2", "na-mexico-1",
    "la-north-2", "cn-north-9", "eu-west-0", "my-kualalumpur-1", "ru-moscow-1", "me-east-1", "ap-southeast-4",
    "ae-ad-1", "cn-east-4", "cn-east-5", "tr-west-1", "cn-north-12"))


class EndpointError(ValueError):
    pass


def default_endpoint(service, region):
    if service == "iam" and region not in REGIONAL_IAM and region not in _REGION_DOMAINS:
        return IAM_GLOBAL_ENDPOINT
    domain = _REGION_DOMAINS.get(region, _DEFAULT_DOMAIN)
    return "https://%s.%s.%s" % (service, region, domain)


_HOST_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")


def _parses(url):
    """An http(s) URL whose host is a DNS name or an IP address, with a valid port if any."""
    if not url.isascii() or any(c.isspace() for c in url):
        return False
    try:
        split = urlsplit(url)
        split.port  # pylint: disable=pointless-statement
    except ValueError:
        return False
    host = split.hostname or ""
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(host) and len(host) <= 253 and all(_HOST_LABEL.match(label) for label in host.split("."))


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
            if not isinstance(url, str) or not url.startswith(("https://", "http://")) or not _parses(url):
                raise EndpointError("endpoint for %s must be an http(s) URL with a host, got %r" % (service, url))
            resolved[service] = url.rstrip("/")
        elif region:
            resolved[service] = default_endpoint(service, region)
    return resolved
