"""Request-body validation with jsonschema; each service supplies its own error shape."""

import jsonschema

_validators = {}


def check_body(body, schema, make_error):
    """Raise ``make_error(detail)`` when ``body`` does not fit ``schema``."""
    key = id(schema)
    if key not in _validators:
        _validators[key] = jsonschema.Draft7Validator(schema)
    error = next(iter(sorted(_validators[key].iter_errors(body), key=lambda e: list(e.absolute_path))), None)
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path) or "body"
        raise make_error("%s: %s" % (where, error.message[:200]))
