# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Replication health gates: "paused" should mean a consistent replica, and "resumed" should mean back.

Before a pause, each job to pause is held until its incremental delay is at most ``max_delay`` (bounded by
``delay_timeout``); after a resume or retry, the task is done only when each job's delay is back under it.
Delays come from ``POST /v3/{project_id}/jobs/batch-progress`` (SDK QueryProgressResp), 100 jobs per call.
A job not in its incremental stage has no delay to measure (None): it never holds a gate.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import PollPauses

PROGRESS_PATH = "/v3/{project_id}/jobs/batch-progress"
PER_CALL = 100
SCHEMA = {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": {
    "type": "object", "required": ["job_id"], "properties": {"job_id": {"type": "string"}}}}}}


def delay_seconds(row):
    """The incremental delay in seconds from a progress row, or None when it has none (not incremental)."""
    for key, scale in (("incre_trans_delay_millis", 1000.0), ("incre_trans_delay", 1.0)):
        value = row.get(key)
        if value not in (None, ""):
            try:
                return float(value) / scale
            except (TypeError, ValueError):
                return None
    return None


def read_delays(client, ids):
    delays = {}
    for start in range(0, len(ids), PER_CALL):
        data = client.call("drs", "POST", PROGRESS_PATH, "batch job progress", body={"jobs": ids[start:start + PER_CALL]},
                           schema=SCHEMA)
        delays.update((row["job_id"], delay_seconds(row)) for row in data["results"])
    return delays


def wait_for_delays(client, ids, max_delay, timeout, poll_interval, sleep, clock):
    """Delays of ``ids`` once each is at most ``max_delay`` (or unmeasurable), or when ``timeout`` runs out."""
    deadline = clock() + timeout
    pauses = PollPauses(poll_interval, clock)
    while True:
        delays = read_delays(client, ids)
        behind = [i for i in ids if delays.get(i) is not None and delays[i] > max_delay]
        pause = pauses.next()
        if not behind or clock() + pause > deadline:
            return delays
        sleep(pause)
