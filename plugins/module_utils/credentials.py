# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Resolve credentials, region and project from module options, then the environment.

Precedence: if any authentication option is given, the module options alone decide
and the environment is not consulted for credentials (so a stale variable can never
be mixed into an explicit login). Otherwise the environment decides. ``auth_type``
(env ``HW_AUTH_TYPE``) picks one method when several are complete; without it, one
complete method is required in options, and in the environment AK/SK wins over a
token, which wins over a password (an emulator or AWX credential may inject several).

``HW_CREDENTIALS_FILE`` names a JSON file holding any of these fields. It counts as part
of the environment and keeps secrets out of process environments, which job runners
record (ansible-runner writes the whole environment to ``artifacts/<id>/command``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.hwcloud.taskops.plugins.module_utils.redact import register_secret

# option name -> environment variables, first one preferred; several set to different values is an error.
ENV_VARS = {
    "auth_type": ("HW_AUTH_TYPE",),
    "access_key": ("HW_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"),
    "secret_key": ("HW_SECRET_KEY", "HUAWEICLOUD_SDK_SK"),
    "security_token": ("HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"),
    "user_name": ("HW_USER_NAME",),
    "password": ("HW_PASSWORD",),
    "domain_name": ("HW_DOMAIN_NAME",),
    "auth_token": ("HW_AUTH_TOKEN",),
    "region": ("HW_REGION_NAME",),
    "project_id": ("HW_PROJECT_ID", "HUAWEICLOUD_SDK_PROJECT_ID"),
}

# Each method: (name, label, required fields, optional fields). Order is the environment precedence.
METHODS = (
    ("aksk", "AK/SK", ("access_key", "secret_key"), ("security_token",)),
    ("token", "pre-issued token", ("auth_token",), ()),
    ("password", "IAM password", ("user_name", "password", "domain_name"), ()),
)
AUTH_FIELDS = tuple(f for m in METHODS for f in m[2] + m[3])
SECRET_FIELDS = ("secret_key", "security_token", "password", "auth_token")


CREDENTIALS_FILE_ENV = "HW_CREDENTIALS_FILE"


class CredentialsError(ValueError):
    pass


def read_credentials_file(environ):
    """The fields of the file named by HW_CREDENTIALS_FILE ({} when unset); empty values count as absent."""
    path = environ.get(CREDENTIALS_FILE_ENV)
    if not path:
        return {}
    try:
        with open(path) as handle:
            data = json.load(handle)
    except (IOError, OSError) as exc:
        raise CredentialsError("%s=%s cannot be read: %s" % (CREDENTIALS_FILE_ENV, path, exc.strerror or exc))
    except ValueError as exc:
        raise CredentialsError("%s=%s is not a JSON object: %s" % (CREDENTIALS_FILE_ENV, path, exc))
    if not isinstance(data, dict):
        raise CredentialsError("%s=%s must hold a JSON object" % (CREDENTIALS_FILE_ENV, path))
    allowed = AUTH_FIELDS + ("auth_type", "region", "project_id")
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise CredentialsError("%s=%s has unknown keys %s; allowed: %s" % (
            CREDENTIALS_FILE_ENV, path, ", ".join(unknown), ", ".join(allowed)))
    return dict((k, str(v)) for k, v in data.items() if v not in (None, ""))


class Credentials:
    """The resolved login. ``method`` is one of aksk, password, token."""

    def __init__(self, method, region, project_id=None, source="options", **fields):
        self.method = method
        self.region = region
        self.project_id = project_id
        self.source = source
        for name in AUTH_FIELDS:
            setattr(self, name, fields.get(name))
        for name in SECRET_FIELDS:
            register_secret(fields.get(name))

    def __repr__(self):
        # Never show secrets, even in a debugger or a traceback.
        return "Credentials(method=%s, region=%s, project_id=%s, source=%s)" % (
            self.method, self.region, self.project_id, self.source)


def _describe(name):
    return "option %s or env %s" % (name, " / ".join(ENV_VARS[name]))


def env_value(name, environ, from_file=None):
    """The value of an option's environment variables (or credentials file), refusing contradictory duplicates."""
    found = [(var, environ.get(var)) for var in ENV_VARS[name] if environ.get(var)]
    if from_file and from_file.get(name):
        found.append(("%s (%s)" % (CREDENTIALS_FILE_ENV, name), from_file[name]))
    if len(set(v for dummy, v in found)) > 1:
        raise CredentialsError("environment variables %s are set to different values; unset all but one"
                               % " and ".join(var for var, dummy in found))
    return found[0][1] if found else None


def _pick_method(values, auth_type, where):
    present = [m for m in METHODS if any(values.get(f) for f in m[2] + m[3])]
    for name, label, required, dummy in present:
        missing = [f for f in required if not values.get(f)]
        if missing and (auth_type in (None, name)):
            raise CredentialsError("incomplete %s credentials in %s: missing %s" % (
                label, where, ", ".join(_describe(f) for f in missing)))
    if auth_type:
        chosen = [m for m in present if m[0] == auth_type]
        if not chosen:
            method = [m for m in METHODS if m[0] == auth_type][0]
            raise CredentialsError("auth_type is %s but %s has no %s credentials: set %s" % (
                auth_type, where, method[1], ", ".join(_describe(f) for f in method[2])))
        return chosen[0]
    if len(present) > 1 and where == "module options":
        raise CredentialsError("conflicting credentials in module options: %s; give exactly one method or set "
                               "auth_type" % " and ".join("%s (%s)" % (m[1], ", ".join(m[2])) for m in present))
    return present[0] if present else None


def _no_credentials_message():
    ways = ["%s: %s" % (label, ", ".join(_describe(f) for f in required)) for dummy, label, required, dummy2 in METHODS]
    return "no Huawei Cloud credentials found. Give one of: " + "; ".join(ways)


def resolve_credentials(params, environ):
    """Return Credentials or raise CredentialsError with a message naming options and variables."""
    from_file = read_credentials_file(environ)
    auth_type = params.get("auth_type") or env_value("auth_type", environ, from_file)
    if auth_type and auth_type not in [m[0] for m in METHODS]:
        raise CredentialsError("auth_type must be one of %s, got %r" % (", ".join(m[0] for m in METHODS), auth_type))
    from_options = dict((f, params.get(f)) for f in AUTH_FIELDS if params.get(f))
    if from_options:
        values, where = from_options, "module options"
    else:
        values = dict((f, env_value(f, environ, from_file)) for f in AUTH_FIELDS)
        where = "the environment"
    method = _pick_method(values, auth_type, where)
    if method is None:
        raise CredentialsError(_no_credentials_message())
    region = params.get("region") or env_value("region", environ, from_file)
    if not region:
        raise CredentialsError("no region given: set %s (for example cn-north-4)" % _describe("region"))
    project_id = params.get("project_id") or env_value("project_id", environ, from_file)
    fields = dict((f, values.get(f)) for f in method[2] + method[3])
    _check_shapes(region, project_id, fields)
    return Credentials(method[0], region, project_id, source=where, **fields)


# Values sent in HTTP headers or host names must be plain ASCII (no control characters); say so before sending.
_SHAPES = (("region", re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$"), "lower-case letters, digits and '-'"),
           ("project_id", re.compile(r"^[A-Za-z0-9-]{1,64}$"), "1 to 64 letters, digits and '-'"),
           ("access_key", re.compile(r"^[!-~]{1,128}$"), "printable ASCII"),
           ("auth_token", re.compile(r"^[!-~]{1,65536}$"), "printable ASCII"),
           ("security_token", re.compile(r"^[!-~]{1,65536}$"), "printable ASCII"))


def _check_shapes(region, project_id, fields):
    values = dict(fields, region=region, project_id=project_id)
    for name, pattern, words in _SHAPES:
        value = values.get(name)
        if value is not None and not pattern.match(str(value)):
            shown = "" if name in ("auth_token", "security_token") else " %r" % str(value)[:40]
            raise CredentialsError("%s%s is not valid: it must be %s" % (_describe(name), shown, words))
