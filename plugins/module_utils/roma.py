# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""ROMA Connect FDI tasks (API v2): list, batch start/stop (at most 10 ids per call)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import (
    Item, PlanError, ServiceAdapter, missing_selectors, select_matching,
)
from ansible_collections.hwcloud.taskops.plugins.module_utils.engine import NO_ACTION, Decision, Outcome
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError
from ansible_collections.hwcloud.taskops.plugins.module_utils.roma_listing import describe, read_all

TASKS_PATH = "/v2/{project_id}/fdi/instances/%s/tasks"
BATCH_PATH = "/v2/{project_id}/fdi/instances/%s/batch-operation/tasks"
DISPATCH_PATH = "/v2/{project_id}/fdi/instances/%s/tasks/%s/dispatches"
STATUS_NAMES = {0: "stopped", 1: "running"}
STATUS_CODES = {"stopped": "0", "running": "1"}
OTHER_STATUS = {"stopped": "running", "running": "stopped"}
TARGET = {"started": "running", "stopped": "stopped"}
ACTION = {"started": "start", "stopped": "stop"}
# Whole-call rejections that one task can cause: splitting the chunk isolates it.
SPLITTABLE = frozenset(("FDI.3083", "FDI.3021", "FDI.3023", "FDI.3019", "FDI.3020"))

LIST_SCHEMA = {
    "type": "object",
    "required": ["total", "entities"],
    "properties": {
        "total": {"type": "integer", "minimum": 0},
        "entities": {"type": "array", "items": {
            "type": "object",
            "required": ["task_id", "task_name", "status"],
            "properties": {"task_id": {"type": "string"}, "task_name": {"type": "string"},
                           "status": {"type": "integer", "enum": [0, 1]}},
        }},
    },
}
_FACADE = {"type": "object", "required": ["task_id"], "properties": {"task_id": {"type": "string"}}}
BATCH_SCHEMA = {
    "type": "object",
    "required": ["success", "failure"],
    "properties": {"success": {"type": "array", "items": _FACADE}, "failure": {"type": "array", "items": _FACADE}},
}


def task_item(entity, instance_id):
    return Item(entity["task_id"], entity["task_name"], STATUS_NAMES[entity["status"]],
                kind=(entity.get("task_type") or "").lower() or None, raw=entity,
                report_extra={"instance_id": instance_id})


class RomaTasks(ServiceAdapter):
    service = "roma"
    label = "ROMA FDI task"
    result_key = "tasks"
    max_batch = 10

    @property
    def instance_id(self):
        return self.params["instance_id"]

    def read(self, filters=None):
        """Every task the server-side ``filters`` select (see roma_listing), one call per page of 999."""
        filters = dict((k, v) for k, v in (filters or {}).items() if v)
        return read_all(self._page, filters, "instance %s" % self.instance_id)

    def list_tasks(self, filters=None):
        listing = self.read(filters)
        if not listing.consistent:
            raise HwCloudError("instance %s: the %d tasks matching %s changed while they were listed (or carry a "
                               "task type the API does not document); run again"
                               % (self.instance_id, listing.total, describe(filters or {})),
                               service="roma", operation="list tasks")
        return [task_item(e, self.instance_id) for e in listing.found.values()]

    def _page(self, query):
        return self.client.call("roma", "GET", TASKS_PATH % self.instance_id, "list tasks", query=query,
                                schema=LIST_SCHEMA)

    def _selects_all(self):
        return self.params.get("all_tasks") or not (self.params.get("task_ids") or self.params.get("task_names"))

    def _filters(self):
        """Server-side filters: only when selecting everything (names and ids are matched client-side)."""
        if not self._selects_all():
            return None
        filters = self.params.get("filters") or {}
        status = filters.get("status")
        return {"task_type": filters.get("task_type"), "task_tag": filters.get("task_tag"),
                "execute_status": filters.get("execute_status"),
                "status": None if status is None else STATUS_CODES[status]}

    def select(self):
        items = self.list_tasks(self._filters())
        if self._selects_all():
            return items
        ids, names = self.params.get("task_ids"), self.params.get("task_names")
        missing_selectors("task", ids, names, items)
        return select_matching(items, ids, names)

    def item_from_plan(self, entry, where):
        if entry["status_before"] not in STATUS_CODES:
            raise PlanError("%s: status_before must be running or stopped, got %r" % (where, entry["status_before"]))
        if entry.get("instance_id", self.instance_id) != self.instance_id:
            raise PlanError("%s: task %s belongs to instance %s, not %s"
                            % (where, entry["id"], entry["instance_id"], self.instance_id))
        return Item(entry["id"], entry["name"], entry["status_before"], kind=entry.get("type"),
                    report_extra={"instance_id": self.instance_id})

    @staticmethod
    def describe(item):
        raw = item.raw
        return {"id": item.id, "name": item.name, "type": item.kind, "status": item.status,
                "instance_id": item.report_extra["instance_id"],
                "execute_status": raw.get("execute_status"), "tag": raw.get("task_tag"),
                "last_modified_time": raw.get("last_modified_time"), "created_date": raw.get("created_date")}

    def plan(self, item):
        state = self.params["state"]
        action = NO_ACTION if item.status == TARGET[state] else ACTION[state]
        if self.check_mode and action == "start" and item.kind == "timing":
            return self._foresee_dispatch_plan(item) or Decision(action)
        return Decision(action)

    def _foresee_dispatch_plan(self, item):
        """Check mode only: a timing task without a dispatch plan cannot start (a real run fails with FDI.3083).

        One read per timing task about to be started; a real run finds out from the batch call instead.
        """
        try:
            self.client.call("roma", "GET", DISPATCH_PATH % (self.instance_id, item.id), "show dispatch plan")
        except HwCloudError as exc:
            if exc.status == 404:
                return Decision.impossible("FDI.3083", "timing task %s has no dispatch (scheduled) plan; create one "
                                                       "for it before starting it" % item.name)
        return None

    def execute(self, action, items):
        body = {"action_id": action, "list": [{"task_id": i.id} for i in items]}
        data, request_id = self.client.call_with_id("roma", "POST", BATCH_PATH % self.instance_id,
                                                    "batch %s tasks" % action, body=body, idempotent=False,
                                                    schema=BATCH_SCHEMA)
        outcomes = dict((entry["task_id"], Outcome(True, request_id=request_id)) for entry in data["success"])
        for entry in data["failure"]:
            outcomes[entry["task_id"]] = Outcome(False, entry.get("error_code") or "FDI.UNKNOWN",
                                                 entry.get("error_msg") or "the task failed without a message",
                                                 request_id)
        return outcomes

    def refresh(self, items):
        """Only what is pending: the tasks still in the status they had, narrowed by task type when they share
        one, so a wait costs pages of unsettled tasks, not of the instance. Status is 0 or 1: a pending task
        missing from a consistent read has moved (a task deleted meanwhile reads as moved too). A read that
        was not consistent (tasks left the listing while it paged) proves only what it saw: the others are
        reported as not known this time, and the next poll looks again."""
        current = {}
        for status in sorted(set(i.status for i in items)):
            group = [i for i in items if i.status == status]
            kinds = set(i.kind for i in group)
            filters = {"status": STATUS_CODES[status]}
            if len(kinds) == 1 and kinds <= set(("realtime", "timing")):
                filters["task_type"] = kinds.pop()
            listing = self.read(filters)
            for item in group:
                entity = listing.found.get(item.id)
                if entity is not None:
                    current[item.id] = task_item(entity, self.instance_id)
                elif listing.consistent:
                    current[item.id] = Item(item.id, item.name, OTHER_STATUS[status], kind=item.kind, raw=item.raw,
                                            report_extra=item.report_extra)
                else:
                    current[item.id] = None  # not known this time
        return current

    def settled(self, before, current, action):
        return current.status == ("running" if action == "start" else "stopped")

    def unmoved(self, before, current, action):
        return current.status == before.status

    def split_helps(self, error):
        return error.code in SPLITTABLE

    def explain(self, error, item):
        if error.code == "FDI.3083":
            return ("timing task %s has no dispatch (scheduled) plan; create one for it, then start it again "
                    "(the API said: %s)" % (item.name, error.message))
        return str(error)
