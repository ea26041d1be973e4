"""Objects whose status moves on by itself after a delay.

Transitions are applied lazily, whenever an object is looked at, from a queue of
(due time, field updates). This keeps 10,000+ objects cheap (no timers, no threads)
and makes every read consistent with the clock. Each object keeps a short history of
its fields so that a 'stale reads' fault can serve the state as it was a moment ago.
"""

import time

HISTORY_LIMIT = 16


class Clock:
    """Wall time plus an offset the admin API can move forward (token expiry, scheduled starts)."""

    def __init__(self):
        self.offset = 0.0

    def now(self):
        return time.time() + self.offset

    def advance(self, seconds):
        self.offset += float(seconds)


class Item:
    __slots__ = ("id", "fields", "pending", "history", "stuck")

    def __init__(self, item_id, fields, now):
        self.id = item_id
        self.fields = fields
        self.pending = []
        self.history = [(now, dict(fields))]
        self.stuck = False

    @property
    def busy(self):
        return bool(self.pending)

    def set(self, now, **updates):
        self.fields.update(updates)
        self.history.append((now, dict(self.fields)))
        del self.history[:-HISTORY_LIMIT]

    def schedule(self, now, steps):
        """Replace pending work with ``steps``: a list of (delay from now, updates)."""
        self.pending = sorted((now + delay, updates) for delay, updates in steps)

    def advance(self, now):
        # A stuck item keeps its intermediate status: the fault 'stuck' models a hung transition.
        while self.pending and self.pending[0][0] <= now and not self.stuck:
            due, updates = self.pending.pop(0)
            self.set(due, **updates)

    def view(self, now, lag=0.0):
        """Fields as a reader sees them: now, or ``lag`` seconds ago (eventual consistency)."""
        self.advance(now)
        if lag <= 0:
            return dict(self.fields)
        when = now - lag
        seen = self.history[0][1]
        for stamp, fields in self.history:
            if stamp <= when:
                seen = fields
        return dict(seen)
