# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The deadline of a maintenance window: from maintenance_window_max_duration to an absolute UTC time.

A duration is a number of seconds or a string such as ``90m``, ``4h`` or ``1h30m`` (units ``s``, ``m``, ``h``,
``d``); an absolute time is ISO 8601 with a zone, such as ``2026-11-24T03:00:00Z``. The guard playbook exits a
window once its deadline has passed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import math
import re
from datetime import datetime, timedelta, timezone

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
DURATION = re.compile(r"^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
MAX_SECONDS = 30 * 86400
STAMP = "%Y-%m-%dT%H:%M:%SZ"


class DeadlineError(ValueError):
    pass


def deadline_from(value, now):
    """The deadline (a UTC ``datetime``) that ``value`` sets for a window entered at ``now``; None for none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise _error(value)
    if isinstance(value, (int, float)):
        return now + timedelta(seconds=_seconds(value, value))
    text = str(value).strip()
    if text.isdigit():
        return now + timedelta(seconds=_seconds(int(text), value))
    match = DURATION.match(text.lower())
    if match and any(match.groups()):
        days, hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return now + timedelta(seconds=_seconds(days * 86400 + hours * 3600 + minutes * 60 + seconds, value))
    moment = _absolute(text, value)
    if moment <= now:
        raise DeadlineError("maintenance_window_max_duration %s is already past (now %s)" % (text, format_utc(now)))
    if moment - now > timedelta(seconds=MAX_SECONDS):
        raise _error(value)
    return moment


def _seconds(number, value):
    if not math.isfinite(number) or number <= 0 or number > MAX_SECONDS:
        raise _error(value)
    return number


def _absolute(text, value):
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise _error(value)
    if moment.tzinfo is None:
        raise DeadlineError("maintenance_window_max_duration %s has no time zone: add Z (UTC) or an offset such as "
                            "+08:00" % text)
    return moment.astimezone(timezone.utc)


def _error(value):
    return DeadlineError("maintenance_window_max_duration must be a duration of up to 30 days (seconds, or such as "
                         "90m, 4h, 1h30m, 2d) or a future ISO 8601 time with a zone; got %r" % (value,))


def format_utc(moment):
    return moment.astimezone(timezone.utc).strftime(STAMP)


def parse_utc(text):
    """A stored deadline back to a ``datetime``; None when absent or unreadable."""
    try:
        return datetime.strptime(text, STAMP).replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        return None
