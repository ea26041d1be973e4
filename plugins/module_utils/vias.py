# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""VIAS batch tasks: a batch has no status of its own, so it is derived from its children's counts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import (
    Item, ServiceAdapter, missing_selectors, select_matching,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import NO_ACTION, Decision, Outcome

PAGE_SIZE = 200
RUNNING_LIKE = ("running", "pending", "recovering", "scheduling", "abnormal")
STOPPED_LIKE = ("stopped", "stopped_no_service", "succeeded", "failed", "start_failed")
# Children in these states cannot be started or stopped; they are reported but do not decide.
UNMOVABLE = ("create_failed", "frozen", "freezing", "deleting", "upgrading", "lack_of_resources")
# 'abnormal' children run but misbehave: stopping stops them, starting leaves them alone.
NEEDS = {"start": STOPPED_LIKE + ("stopping",), "stop": RUNNING_LIKE + ("starting",)}
COMMAND = {"started": "start", "stopped": "stop"}

LIST_SCHEMA = {"type": "object", "required": ["count", "batch_task_list"], "properties": {
    "count": {"type": "integer"},
    "batch_task_list": {"type": "array", "items": {
        "type": "object", "required": ["id", "batch_task_name", "batch_task_status_info"],
        "properties": {"id": {"type": "string"}, "batch_task_name": {"type": "string"},
                       "batch_task_status_info": {"type": "object",
                                                  "additionalProperties": {"type": "integer", "minimum": 0}}}}}}}
ACTION_SCHEMA = {"type": "object", "required": ["total_count", "succeed_count", "failed_count"], "properties": {
    "total_count": {"type": "integer"}, "succeed_count": {"type": "integer"}, "failed_count": {"type": "integer"},
    "error_list": {"type": ["array", "null"], "items": {"type": "string"}}}}


def derive_state(counts):
    """One word for a batch: running, stopped, starting, stopping, mixed, unavailable or empty."""
    total = sum(counts.values())
    movable = total - sum(counts.get(k, 0) for k in UNMOVABLE)
    if total == 0:
        return "empty"
    if movable == 0:
        return "unavailable"
    for moving in ("starting", "stopping"):
        if counts.get(moving):
            return moving
    if sum(counts.get(k, 0) for k in RUNNING_LIKE) == movable:
        return "running"
    if sum(counts.get(k, 0) for k in STOPPED_LIKE) == movable:
        return "stopped"
    return "mixed"


def batch_item(row):
    counts = dict((k, v) for k, v in row["batch_task_status_info"].items() if v)
    return Item(row["id"], row["batch_task_name"], derive_state(counts), kind=row.get("alg_name"),
                report_extra={"status_counts": counts}, raw=row)


class ViasBatches(ServiceAdapter):
    service = "vias"
    label = "VIAS batch task"
    result_key = "batch_tasks"
    max_batch = 1  # the API acts on one batch per call; batches run in parallel

    def list_batches(self):
        items, page = [], 1
        while True:
            data = self.client.call("vias", "GET", "/v2/{project_id}/batch-tasks", "list batch tasks",
                                    query={"page_num": page, "page_size": PAGE_SIZE, "sort_name": "created_at",
                                           "order_by": "asc"}, schema=LIST_SCHEMA)
            items.extend(batch_item(row) for row in data["batch_task_list"])
            if not data["batch_task_list"] or len(items) >= data["count"]:
                return items
            page += 1

    def select(self):
        items = self.list_batches()
        ids, names = self.params.get("batch_task_ids"), self.params.get("batch_task_names")
        if not ids and not names:
            wanted = (self.params.get("filters") or {}).get("state")
            return [i for i in items if not wanted or i.status in wanted]
        missing_selectors("batch task", ids, names, items)
        return select_matching(items, ids, names)

    @staticmethod
    def describe(item):
        raw = item.raw
        return {"id": item.id, "name": item.name, "state": item.status,
                "status_counts": item.report_extra["status_counts"], "num_task": raw.get("num_task"),
                "alg_name": raw.get("alg_name"), "created_at": raw.get("created_at")}

    def plan(self, item):
        command = COMMAND[self.params["state"]]
        counts = item.report_extra["status_counts"]
        if self.params.get("force") or any(counts.get(k) for k in NEEDS[command]):
            return Decision(command)
        return Decision(NO_ACTION)

    def execute(self, action, items):
        outcomes = {}
        for item in items:
            data, request_id = self.client.call_with_id(
                "vias", "PUT", "/v2/{project_id}/batch-tasks/%s/action/%s" % (item.id, action),
                "batch task %s" % action, idempotent=False, schema=ACTION_SCHEMA)
            extra = {"total_count": data["total_count"], "succeed_count": data["succeed_count"],
                     "failed_count": data["failed_count"], "error_list": data.get("error_list") or []}
            if data["failed_count"]:
                message = "%d of %d child tasks could not %s: %s" % (
                    data["failed_count"], data["total_count"], action, "; ".join(extra["error_list"]) or "no detail")
                outcomes[item.id] = Outcome(False, "CHILD_TASKS_FAILED", message, request_id, extra=extra)
            else:
                outcomes[item.id] = Outcome(True, request_id=request_id, extra=extra)
        return outcomes

    def refresh(self, items):
        return dict((i.id, i) for i in self.list_batches())

    def settled(self, before, current, action):
        counts = current.report_extra["status_counts"]
        if any(counts.get(k) for k in ("starting", "stopping")):
            return False
        if action == "start":
            if counts.get("start_failed"):
                return "CHILD_TASKS_FAILED", "%d child tasks failed to start" % counts["start_failed"]
            return not any(counts.get(k) for k in NEEDS["start"])
        return not any(counts.get(k) for k in NEEDS["stop"])
