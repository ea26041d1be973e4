# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SDK-HMAC-SHA256 request signing (Huawei Cloud AK/SK authentication).

The algorithm follows the API Gateway signing specification: canonical request,
string to sign, HMAC-SHA256 keyed directly with the secret key. Only the
standard library is used so that signing costs nothing at module start-up.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import hmac
import time

from urllib.parse import quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()


def _encode(value):
    # Keep only RFC 3986 unreserved characters; a space becomes %20.
    return quote(value, safe="~")


def _as_text(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.decode("utf-8")
    return value if isinstance(value, str) else str(value)


def canonical_uri(path):
    segments = [_encode(segment) for segment in unquote(path).split("/")]
    uri = "/".join(segments)
    # The trailing slash exists only in the canonical form; the request goes out without it.
    return uri if uri.endswith("/") else uri + "/"


def _sorted(values):
    # Sort raw values as the gateway does (numbers numerically); mixed types fall back to text order.
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=lambda v: (v[0], _as_text(v[1])) if isinstance(v, tuple) else _as_text(v))


def _query_pairs(query):
    """Normalise a dict or a list of (key, value) pairs to the sorted pairs that are signed and sent."""
    if not query:
        return []
    items = list(query.items() if isinstance(query, dict) else query)
    pairs = []
    for key, value in _sorted([(k, list(v) if isinstance(v, tuple) else v) for k, v in items]):
        for item in (_sorted(value) if isinstance(value, list) else [value]):
            pairs.append((_as_text(key), _as_text(item)))
    return pairs


def canonical_query(query):
    """The canonical query string; the transport sends exactly this string too."""
    return "&".join("%s=%s" % (_encode(k), _encode(v)) for k, v in _query_pairs(query))


def _signed_header_items(headers):
    # Header names containing "_" are never signed.
    items = {}
    for name, value in headers.items():
        if "_" in name:
            continue
        items[name.lower()] = _as_text(value).strip()
    return sorted(items.items())


def payload_hash(headers, body):
    if body:
        for name, value in headers.items():
            if name.lower() == CONTENT_SHA256_HEADER.lower():
                return value
        return hashlib.sha256(body).hexdigest()
    return EMPTY_BODY_SHA256


def canonical_request(method, path, query, headers, body):
    header_items = _signed_header_items(headers)
    canonical_headers = "".join("%s:%s\n" % item for item in header_items)
    signed_headers = ";".join(name for name, dummy in header_items)
    return "\n".join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers,
        signed_headers,
        payload_hash(headers, body),
    ]), signed_headers


def string_to_sign(request_date, canonical):
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, request_date, digest)


def sign(access_key, secret_key, method, host, path, query=None, headers=None, body=b"", now=None):
    """Return a new header dict with X-Sdk-Date, Host and Authorization added.

    ``headers`` are the headers that will be sent (Content-Type, X-Project-Id,
    X-Security-Token, ...). ``body`` is the exact byte string sent on the wire.
    """
    signed = dict(headers or {})
    names = set(name.lower() for name in signed)
    content_type = next((v for k, v in signed.items() if k.lower() == "content-type"), "")
    streamed = content_type and not content_type.startswith(("application/json", "application/bson"))
    if streamed and CONTENT_SHA256_HEADER.lower() not in names:
        signed[CONTENT_SHA256_HEADER] = UNSIGNED_PAYLOAD
    if DATE_HEADER.lower() not in names:
        signed[DATE_HEADER] = time.strftime(DATE_FORMAT, time.gmtime(now))
    if "host" not in names:
        signed["Host"] = host
    request_date = next(v for k, v in signed.items() if k.lower() == DATE_HEADER.lower())
    canonical, signed_headers = canonical_request(method, path, query, signed, body or b"")
    signature = hmac.new(secret_key.encode("utf-8"), string_to_sign(request_date, canonical).encode("utf-8"),
                         hashlib.sha256).hexdigest()
    signed["Authorization"] = "%s Access=%s, SignedHeaders=%s, Signature=%s" % (
        ALGORITHM, access_key, signed_headers, signature)
    return signed
