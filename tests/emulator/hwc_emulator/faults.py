"""Injected faults and the gateway rate limit.

A fault is a dict: ``type`` plus optional ``service`` and ``operation`` (``*`` or
absent matches all), ``rate`` (0..1, default 1), ``count`` (how many times it may
fire; absent means unlimited) and type-specific fields:

==============  =====================================================================
latency         ``ms`` plus up to ``jitter_ms`` extra before answering
error           answer ``status`` (500, 502, 503 or 504) with the service's error body
reset           close the connection with a TCP reset; ``when``: before (default) or
                after the operation took effect
hang            wait ``ms`` before answering (past the client's timeout); ``when`` as above
html            answer ``status`` (default 502) with an HTML page
truncated       carry out the operation, then send a truncated JSON body
stale_reads     reads show the state as it was ``lag_ms`` ago (eventual consistency)
item_failure    batch results report these ``ids`` (or a ``rate`` of items) as failed with
                ``code`` and ``message``
stuck           the items in ``ids`` never finish their current transition
token_expiry    every issued token expires just before this request is authenticated
==============  =====================================================================

Randomness comes from one seeded generator, so a failing run can be replayed.
"""

import math
import random
import threading
import time

TYPES = ("latency", "error", "reset", "hang", "html", "truncated", "stale_reads", "item_failure", "stuck",
         "token_expiry")


class FaultError(ValueError):
    pass


def validate_faults(faults):
    if not isinstance(faults, list):
        raise FaultError("faults must be a list")
    for fault in faults:
        if not isinstance(fault, dict) or fault.get("type") not in TYPES:
            raise FaultError("each fault needs a type among %s, got %r" % (", ".join(TYPES), fault))
        if fault["type"] == "error" and fault.get("status") not in (500, 502, 503, 504):
            raise FaultError("an error fault needs status 500, 502, 503 or 504")
        if fault.get("when", "before") not in ("before", "after"):
            raise FaultError("when must be before or after")
    return [dict(f) for f in faults]


class Faults:
    def __init__(self, faults=None, seed=0):
        self.lock = threading.Lock()
        self.configure(faults or [], seed)

    def configure(self, faults, seed=None):
        with self.lock:
            self.faults = validate_faults(faults)
            if seed is not None:
                self.seed = seed
            self.rng = random.Random(self.seed)

    def _matches(self, fault, service, operation):
        return (fault.get("service", "*") in ("*", service)
                and fault.get("operation", "*") in ("*", operation)
                and fault.get("count", 1) > 0)

    def fire(self, kind, service, operation):
        """The first matching fault of ``kind`` that fires now (consuming one of its count), or None."""
        with self.lock:
            for fault in self.faults:
                if fault["type"] != kind or not self._matches(fault, service, operation):
                    continue
                if fault.get("ids"):
                    continue  # item-scoped faults fire per item, not per request
                if self.rng.random() >= float(fault.get("rate", 1.0)):
                    continue
                if "count" in fault:
                    fault["count"] -= 1
                return fault
        return None

    def latency(self, service, operation):
        fault = self.fire("latency", service, operation)
        if not fault:
            return 0.0
        with self.lock:
            jitter = self.rng.uniform(0, float(fault.get("jitter_ms", 0)))
        return (float(fault.get("ms", 0)) + jitter) / 1000.0

    def lag(self, service, operation):
        with self.lock:
            for fault in self.faults:
                if fault["type"] == "stale_reads" and self._matches(fault, service, operation):
                    return float(fault.get("lag_ms", 1000)) / 1000.0
        return 0.0

    def item_failure(self, service, operation, item_id):
        with self.lock:
            for fault in self.faults:
                if fault["type"] != "item_failure" or not self._matches(fault, service, operation):
                    continue
                hit = item_id in fault["ids"] if fault.get("ids") else self.rng.random() < float(fault.get("rate", 1))
                if hit:
                    if "count" in fault:
                        fault["count"] -= 1
                    return fault.get("code", "EMULATOR.0001"), fault.get("message", "Injected item failure.")
        return None

    def stuck_ids(self):
        with self.lock:
            return set(i for f in self.faults if f["type"] == "stuck" for i in f.get("ids") or [])


class RateLimiter:
    """A token bucket for the whole gateway: ``rps`` requests per second, bursts up to ``rps``."""

    def __init__(self, rps=None):
        self.lock = threading.Lock()
        self.set(rps)

    def set(self, rps):
        with self.lock:
            self.rps = float(rps) if rps else None
            self.tokens = self.rps or 0.0
            self.stamp = time.monotonic()

    def acquire(self):
        """None when the request may pass, else the seconds to wait (for Retry-After)."""
        with self.lock:
            if not self.rps:
                return None
            now = time.monotonic()
            self.tokens = min(self.rps, self.tokens + (now - self.stamp) * self.rps)
            self.stamp = now
            if self.tokens >= 1:
                self.tokens -= 1
                return None
            return (1 - self.tokens) / self.rps


def retry_after_header(wait):
    return str(max(1, int(math.ceil(wait))))
