# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Keep credentials out of everything a module returns, warns or logs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

MASK = "********"

SECRET_HEADERS = frozenset(("authorization", "x-auth-token", "x-subject-token", "x-security-token"))
SECRET_KEYS = frozenset((
    "password", "secret_key", "secret", "sk", "security_token", "securitytoken", "auth_token", "token",
    "access_secret", "x-auth-token", "x-subject-token", "x-security-token", "authorization",
))

# Signature and token values that can leak through free text (error messages, reprs).
_TEXT_PATTERNS = (
    re.compile(r"(Signature=)[0-9a-fA-F]+"),
    re.compile(r"((?:X-Auth-Token|X-Subject-Token|X-Security-Token|Authorization)\s*[:=]\s*)[^\s,;|\"']+",
               re.IGNORECASE),
    re.compile(r"(\"(?:password|secret_key|security_token|auth_token)\"\s*:\s*\")[^\"]*", re.IGNORECASE),
)

# Exact secret values registered at run time (the resolved credentials), masked wherever they appear.
_known_secrets = set()


def register_secret(value):
    if value and isinstance(value, str) and len(value) >= 4:
        _known_secrets.add(value)


def redact_text(text):
    if not isinstance(text, str) or not text:
        return text
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for pattern in _TEXT_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return text


def redact_headers(headers):
    return dict((k, MASK if k.lower() in SECRET_HEADERS else redact_text(v)) for k, v in (headers or {}).items())


def redact(data):
    """Return a copy of ``data`` with secret keys masked and secret values removed from strings."""
    if isinstance(data, dict):
        return dict((k, MASK if isinstance(k, str) and k.lower() in SECRET_KEYS and data[k] else redact(v))
                    for k, v in data.items())
    if isinstance(data, (list, tuple)):
        return [redact(v) for v in data]
    return redact_text(data)
