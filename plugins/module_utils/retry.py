# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Retry policy: which failures are retried, and how long to wait before the next attempt."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
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
# Pacing after a 429 (see Throttle): the learned rate starts from the answers of the last RATE_WINDOW seconds,
# is cut by RATE_DECREASE on each 429 and grows by RATE_STEP requests/s per second of unthrottled answers.
RATE_WINDOW = 1.0
RATE_DECREASE = 5.0 / 6
RATE_STEP = 0.1
RATE_RECOVERY = 0.5
MIN_RATE = 0.5


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
    one that was throttled. Two things then keep the gateway from throttling again:

    * requests in flight: halved on each 429, grown back by one after as many answers as it allows
      came through (additive increase, multiplicative decrease);
    * pace: from the first 429 on, requests leave at a rate learned from the answers. It starts at what
      the gateway let through in the last second and drops to five sixths of that on each 429; unthrottled
      answers bring it back towards the pace of the last 429 within seconds, and beyond it by RATE_STEP
      requests/s per second. A gateway limit is a rate, so a
      concurrency alone cannot respect it (one thread at 20 ms a call makes 50 calls a second); and
      each 429 costs a whole Retry-After of silence, so the pace probes upwards slowly.
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
        self.rate = None  # requests per second once paced; None until the first 429
        self.rate_max = None  # the pace the last 429 came at
        self.next_slot = 0.0
        self.cut_at = float("-inf")
        self.recent = collections.deque()  # when the unthrottled answers of the last RATE_WINDOW seconds came
        self._cond = threading.Condition()

    def enter(self):
        """Wait for a free slot, for the shared pause to end, and for this request's turn at the pace."""
        with self._cond:
            while self.active >= self.limit:
                self._cond.wait(0.5)
            self.active += 1
        slot = None  # when this request may leave, once reserved
        while True:
            with self._cond:
                if slot is not None and slot >= self.resume_at:
                    return slot  # slept until its slot, and no 429 has moved the pause past it meanwhile
                # First pass, or a 429 while this thread slept: reserve (again) rather than send into the pause.
                now = self.clock()
                slot = max(now, self.resume_at)
                if self.rate:
                    slot = max(slot, self.next_slot)
                    self.next_slot = slot + 1.0 / self.rate
                if slot <= now:
                    return now
            self.sleep(slot - now)

    def leave(self, throttled=False, retry_after=None, sent_at=None):
        """``sent_at`` is what ``enter`` returned: the 429s of requests sent before the last cut belong to the
        same crowding and cut nothing more (sixteen threads throttled at once are one signal, not sixteen)."""
        with self._cond:
            self.active -= 1
            now = self.clock()
            if throttled:
                self._throttled(now, retry_after, sent_at is None or sent_at >= self.cut_at)
            else:
                self._flowed(now)
            self._cond.notify_all()

    def _throttled(self, now, retry_after, news):
        self.throttled += 1
        self.flowed = 0
        if retry_after:
            self.resume_at = max(self.resume_at, now + retry_after)
        self.next_slot = max(self.next_slot, self.resume_at)
        if not news:
            return
        self.cut_at = now
        self.limit = max(1, self.limit // 2)
        let_through = len(self._recent(now))
        if self.rate is not None:
            self.rate_max = min(self.rate, let_through or self.rate)
        elif let_through:
            self.rate_max = float(let_through)
        else:
            return  # nothing got through yet: nothing to learn a pace from; Retry-After alone holds
        self.rate = max(MIN_RATE, self.rate_max * RATE_DECREASE)

    def _flowed(self, now):
        self._recent(now).append(now)
        self.flowed += 1
        if self.flowed >= self.limit and self.limit < self.ceiling:
            self.limit += 1
            self.flowed = 0
        if self.rate:
            # Per second of answers at full pace (one answer is 1/rate of it): back towards the pace of the
            # last 429 quickly, beyond it by RATE_STEP.
            self.rate += (RATE_STEP + max(0.0, self.rate_max - self.rate) * RATE_RECOVERY) / self.rate

    def _recent(self, now):
        while self.recent and self.recent[0] < now - RATE_WINDOW:
            self.recent.popleft()
        return self.recent
