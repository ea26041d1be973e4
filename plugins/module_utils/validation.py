# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Check API responses against the fields the code relies on before using them.

jsonschema costs about 0.1 s to import, so it is loaded on first use only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

_validators = {}


def _validator_for(schema):
    key = id(schema)
    if key not in _validators:
        try:
            import jsonschema  # pylint: disable=import-outside-toplevel
        except ImportError:
            raise HwCloudError("the Python library 'jsonschema' is required on the host running the module; "
                               "install it with pip install jsonschema")
        cls = jsonschema.validators.validator_for(schema)
        _validators[key] = (schema, cls(schema))
    return _validators[key][1]


def validate_response(data, schema, service, operation, request_id=None):
    """Raise HwCloudError naming the first offending field when ``data`` does not fit ``schema``."""
    errors = sorted(_validator_for(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return data
    first = errors[0]
    where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
    raise HwCloudError("unexpected response from the service: field %s: %s" % (where, first.message[:300]),
                       service=service, operation=operation, request_id=request_id,
                       details={"problems": len(errors)})
