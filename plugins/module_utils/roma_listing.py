# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading every task a ROMA listing query selects, although the API pages no further than offset 20,000.

A query that matches more tasks than its pages reach is split by a server-side filter it does not use yet
(task type first: it never changes; then status). A query nothing is left to split is read from both ends
(ascending, then descending for the rest), which reaches twice as far; beyond that it fails on its first page.

Every read says whether it is a consistent snapshot: every page reported the same total, and the distinct
tasks found add up to it. A read of tasks that moved while it paged is not, and the caller decides what that
means (selection refuses it; a wait takes only what it positively saw).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError

# The docs allow limit 1-1000 while the SDK says 999 and clamps larger values; 999 is safe under both.
PAGE_SIZE = 999
MAX_OFFSET = 20000
# Pages of PAGE_SIZE reach this many tasks of one query (the last page starts at or below MAX_OFFSET).
REACHABLE = (MAX_OFFSET // PAGE_SIZE + 1) * PAGE_SIZE
PARTITIONS = (("task_type", ("realtime", "timing")), ("status", ("0", "1")))


class Listing:
    """One read: the tasks found (entities by id), the total the server reported, and whether it is whole."""

    def __init__(self, found, total, consistent):
        self.found = found
        self.total = total
        self.consistent = consistent and len(found) == total


def read_all(page, filters, where):
    """``page(query)`` answers one listing call; ``where`` names the instance in messages."""
    first = page(dict(filters, limit=PAGE_SIZE, offset=0))
    total = first["total"]
    if total <= REACHABLE:
        found, consistent = _pages(page, filters, first, total, total)
        return Listing(found, total, consistent)
    key = next((k for k, dummy in PARTITIONS if k not in filters), None)
    if key is not None:
        return _partitioned(page, filters, total, key, where)
    if total <= 2 * REACHABLE:
        return _both_ends(page, filters, total)
    raise HwCloudError("%s holds %d tasks matching %s, more than the listing API can page through (offset limit "
                       "%d, read from both ends), and no server-side filter is left to split them by; select "
                       "fewer tasks with filters.task_tag or filters.execute_status"
                       % (where, total, describe(filters), MAX_OFFSET), service="roma", operation="list tasks")


def _pages(page, query, first, total, wanted):
    """(tasks by id, whether every page reported ``total``): pages from offset 0 until ``wanted`` tasks were
    read (or the server ran out)."""
    found, consistent, data = {}, True, first
    query = dict(query, limit=PAGE_SIZE, offset=0)
    while True:
        consistent = consistent and data["total"] == total
        found.update((e["task_id"], e) for e in data["entities"])
        query["offset"] += len(data["entities"])
        if not data["entities"] or query["offset"] >= min(wanted, data["total"]):
            return found, consistent
        data = page(query)


def _partitioned(page, filters, total, key, where):
    found, counted, consistent = {}, 0, True
    for value in dict(PARTITIONS)[key]:
        part = read_all(page, dict(filters, **{key: value}), where)
        found.update(part.found)
        counted += part.total
        consistent = consistent and part.consistent
    # Parts that do not add up to the whole: tasks moved meanwhile, or carry a value the API does not document.
    return Listing(found, total, consistent and counted == total)


def _both_ends(page, filters, total):
    """UNCONFIRMED which field the server sorts by by default; whatever it is, reading ascending and then
    descending covers every task only if sort_type reverses that order, and the distinct-count check of
    Listing proves whether it did."""
    ascending = dict(filters, sort_type="ASC")
    found, head_whole = _pages(page, ascending, page(dict(ascending, limit=PAGE_SIZE, offset=0)), total, REACHABLE)
    descending = dict(filters, sort_type="DESC")
    tail, tail_whole = _pages(page, descending, page(dict(descending, limit=PAGE_SIZE, offset=0)), total,
                              total - REACHABLE)
    found.update(tail)
    return Listing(found, total, head_whole and tail_whole)


def describe(filters):
    return ", ".join("%s=%s" % kv for kv in sorted(filters.items())) or "no filter"
