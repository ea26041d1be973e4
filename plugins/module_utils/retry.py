# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retry policy: which failures are retried, and how long to wait before the next attempt."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import threading
import time
from email.utils import parsedate_tz, mktime_tz

THROTTLED = 429
RETRYABLE_STATUSES = frozenset((429, 500, 502, 503, 504))
BASE_DELAY = 0.5
MAX_DELAY = 20.0
# The gateway advises waiting 2-5 s after APIGW.0308; never wait longer than this for one retry.
MAX_RETRY_AFTER = 60.0
# A throttled call is retried apart from the ``retries`` budget (the gateway refused it, so it is always safe),
# bounded by the total retry time and by this many attempts.
MAX_THROTTLED_RETRIES = 30


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

    def next_delay(self, attempt, started, retry_after=None, now=None, throttled=False):
        """The wait before retry ``attempt``, or None when attempts or time are used up. Throttled retries count
        against MAX_THROTTLED_RETRIES instead of ``retries``."""
        if attempt > (MAX_THROTTLED_RETRIES if throttled else self.retries):
            return None
        wait = self.delay(attempt, retry_after)
        elapsed = (time.monotonic() if now is None else now) - started
        if elapsed + wait > self.max_time:
            return None
        return wait


class Throttle:
    """One throttle state per module run, shared by its threads.

    After a 429 every thread holds off until the advertised ``Retry-After`` has passed, not only the
    one that was throttled; and the number of requests in flight halves on each 429 and grows back
    by one after as many answers as it allows came through unthrottled (additive increase,
    multiplicative decrease), so a crowded gateway sees fewer callers instead of the same ones again.
    """

    def __init__(self, ceiling=1, clock=time.monotonic, sleep=time.sleep):
        self.ceiling = max(1, int(ceiling))
        self.limit = self.ceiling
        self.clock = clock
        self.sleep = sleep
        self.active = 0
        self.flowed = 0
        self.resume_at = 0.0
        self.throttled = 0
        self._cond = threading.Condition()

    def enter(self):
        """Wait for a free slot and for the shared pause to end."""
        with self._cond:
            while self.active >= self.limit:
                self._cond.wait(0.5)
            self.active += 1
            wait = self.resume_at - self.clock()
        if wait > 0:
            self.sleep(wait)

    def leave(self, throttled=False, retry_after=None):
        with self._cond:
            self.active -= 1
            if throttled:
                self.throttled += 1
                self.limit = max(1, self.limit // 2)
                self.flowed = 0
                if retry_after:
                    self.resume_at = max(self.resume_at, self.clock() + retry_after)
            else:
                self.flowed += 1
                if self.flowed >= self.limit and self.limit < self.ceiling:
                    self.limit += 1
                    self.flowed = 0
            self._cond.notify_all()
