# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What a service adapter provides to the engine, and the item it works with.

Adding a service means one adapter (list, plan, execute, refresh, settled) and one thin module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class Item:
    """One task, job or batch as read from the service."""

    def __init__(self, item_id, name, status, kind=None, report_extra=None, raw=None):
        self.id = item_id
        self.name = name
        self.status = status
        self.kind = kind
        # Extra fields every report of this item carries (for example VIAS child counts).
        self.report_extra = report_extra or {}
        self.raw = raw or {}


class SelectionError(ValueError):
    """The selection names items that do not exist; raised before any write."""


class PlanError(ValueError):
    """A plan handed to a module is not one this module produced; raised before any write."""


class ServiceAdapter:
    service = None
    label = None
    # The per-item list in the module result (the info module uses the same key).
    result_key = None
    max_batch = 1
    # Set by the runner: check mode may read a little more to foresee failures a real run would meet.
    check_mode = False

    def __init__(self, client, params):
        self.client = client
        self.params = params

    def batch_size(self, action):
        requested = self.params.get("batch_size") or self.max_batch
        return max(1, min(int(requested), self.max_batch))

    def select(self):
        """Read the selected items: a list of Item (raises SelectionError for unknown selectors)."""
        raise NotImplementedError

    def items_from_plan(self, entries):
        """Items as an earlier (check-mode) run read them, from its per-item results; no API call."""
        items, seen = [], set()
        for number, entry in enumerate(entries):
            where = "plan entry %d" % (number + 1)
            if not isinstance(entry, dict):
                raise PlanError("%s is not a mapping; pass the %s list of a check-mode run of this module"
                                % (where, self.result_key))
            for key in ("id", "name", "status_before"):
                if not isinstance(entry.get(key), str) or not entry[key]:
                    raise PlanError("%s has no %s; pass the %s list of a check-mode run of this module"
                                    % (where, key, self.result_key))
            if entry["id"] in seen:
                raise PlanError("%s repeats the %s %s" % (where, self.label, entry["id"]))
            seen.add(entry["id"])
            items.append(self.item_from_plan(entry, where))
        return items

    def describe_all(self, items):
        """What the info module returns for these items (an adapter may read a little more, once per page)."""
        return [self.describe(i) for i in items]

    def item_from_plan(self, entry, where):
        """One Item from a validated plan entry (raises PlanError when the entry does not fit)."""
        raise NotImplementedError

    def plan(self, item):
        """A Decision for one item against the requested state."""
        raise NotImplementedError

    def execute(self, action, items):
        """Perform ``action`` on a chunk; returns {id: Outcome}. Raises HwCloudError for whole-call failures."""
        raise NotImplementedError

    def refresh(self, items):
        """Current state of these items: {id: Item}, one call per page. An id missing from the answer has
        disappeared; an id mapped to None could not be told this time (the engine polls again)."""
        raise NotImplementedError

    def settled(self, before, current, action):
        """True when settled as intended, (code, message) when it failed, False while still moving."""
        raise NotImplementedError

    def unmoved(self, before, current, action):
        """True when ``current`` shows no sign of ``action`` having been applied to ``before`` and nothing moving.

        Used only for writes whose answer was lost, to decide whether sending them again is safe.
        """
        return False

    def gate_before(self, reports, engine):
        """A hold before the writes (DRS: until replicas catch up); may fail reports. Nothing by default."""

    def gate_after(self, reports, engine):
        """A check after the wait (DRS: until replication is back); may fail reports. Nothing by default."""

    def result_extras(self):
        """Fields the module result carries beside the items (DRS: the API version the run used)."""
        return {}

    def split_helps(self, error):
        """Whether splitting a rejected chunk can isolate the items that caused ``error``."""
        return False

    def explain(self, error, item):
        """The per-item message for a whole-call error (naming the service and the operation)."""
        return str(error)


def missing_selectors(kind, wanted_ids, wanted_names, found):
    """Describe ids and names that matched nothing, for a failure before any write."""
    ids = set(i.id for i in found)
    names = set(i.name for i in found)
    problems = []
    unknown_ids = [i for i in wanted_ids or [] if i not in ids]
    unknown_names = [n for n in wanted_names or [] if n not in names]
    if unknown_ids:
        problems.append("unknown %s ids: %s" % (kind, ", ".join(unknown_ids)))
    if unknown_names:
        problems.append("unknown %s names: %s" % (kind, ", ".join(unknown_names)))
    if problems:
        raise SelectionError("; ".join(problems) + ". Nothing was changed.")


def select_matching(items, wanted_ids, wanted_names):
    """Items whose id or (exact) name was asked for, in listing order."""
    ids = set(wanted_ids or [])
    names = set(wanted_names or [])
    return [i for i in items if i.id in ids or i.name in names]
