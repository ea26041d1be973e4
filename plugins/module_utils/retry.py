# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retry policy: which failures are retried, and how long to wait before the next attempt."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import time
from email.utils import parsedate_tz, mktime_tz

THROTTLED = 429
RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
BASE_DELAY = 0.5
MAX_DELAY = 20.0
# The gateway advises waiting 2-5 s after APIGW.0308; never wait longer than this for one retry.
MAX_RETRY_AFTER = 60.0


def parse_retry_after(value, now=None):
    """Seconds to wait from a Retry-After header (delta seconds or HTTP date), or None."""
    if value is None:
        return None
    value = str(value).strip()
    try:
        seconds = float(value)
    except ValueError:
        parsed = parsedate_tz(value)
        if not parsed:
            return None
        seconds = mktime_tz(parsed) - (time.time() if now is None else now)
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


class RetryPolicy:
    """Full-jitter exponential backoff bounded by attempts and by total time.

    ``retries`` is the number of extra attempts after the first. ``max_time`` bounds
    the whole sequence, waits included: a retry whose wait would end past it is not made.
    """

    def __init__(self, retries=5, max_time=120.0, base=BASE_DELAY, cap=MAX_DELAY, rng=None):
        self.retries = max(0, int(retries))
        self.max_time = float(max_time)
        self.base = base
        self.cap = cap
        self.rng = rng or random.Random()

    def delay(self, attempt, retry_after=None):
        """Wait before retry number ``attempt`` (1-based); at least Retry-After when the server sent one."""
        if retry_after is not None:
            # Honour the server, plus a little jitter so parallel workers do not return in lock-step.
            return retry_after + self.rng.uniform(0, min(1.0, self.base))
        return self.rng.uniform(0, min(self.cap, self.base * (2 ** (attempt - 1))))

    def next_delay(self, attempt, started, retry_after=None, now=None):
        """The wait before retry ``attempt``, or None when attempts or time are used up."""
        if attempt > self.retries:
            return None
        wait = self.delay(attempt, retry_after)
        elapsed = (time.monotonic() if now is None else now) - started
        if elapsed + wait > self.max_time:
            return None
        return wait
