# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hwcloud.taskops contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Reading a record back: check its version and shape, upgrade version 1, and isolate damage.

A damaged service section never stops the others: exit brings back every service it can read and
reports the damaged ones, which are kept in the record as they were.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_record import (
    DEFAULT_ORDER, DONE, FORMAT, OPEN, SERVICES, VERSION, WindowError,
)

PLANS = ("act", "quiet", "skipped", "blocked")


def load_record(data, source):
    """The record from parsed JSON, its damaged service sections moved under ``damaged``.

    Raises WindowError when the record as a whole cannot be used.
    """
    if not isinstance(data, dict):
        raise WindowError("%s does not hold a maintenance record (a JSON object); it was left untouched" % source)
    version = data.get("version", 1 if "services" in data and "format" not in data else None)
    if version == 1:
        data = upgrade_v1(data)
    elif version != VERSION or data.get("format") != FORMAT:
        raise WindowError("%s holds a maintenance record of version %r, which this collection (record version %d) "
                          "cannot read; use the hwcloud.taskops release that wrote it to exit that window. The file "
                          "was left untouched." % (source, data.get("version"), VERSION))
    for key in ("window_id", "status"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise WindowError("%s is damaged: it has no %s. It was left untouched; bring the objects back by hand "
                              "from the last report." % (source, key))
    if data["status"] not in OPEN + DONE:
        raise WindowError("%s is damaged: unknown status %r. It was left untouched." % (source, data["status"]))
    services = data.get("services")
    if not isinstance(services, dict):
        raise WindowError("%s is damaged: it has no services section. It was left untouched." % source)
    # Damaged sections move aside, kept as they were, so exit can go on with the others.
    damaged = data.setdefault("damaged", {})
    for service in list(services):
        problem = ("unknown service %r" % service) if service not in SERVICES else section_problem(
            service, services[service])
        if problem:
            damaged[service] = {"problem": problem, "section": services.pop(service)}
    order = data.get("order")
    if not isinstance(order, list) or not all(s in SERVICES for s in order):
        data["order"] = [s for s in DEFAULT_ORDER if s in services]
    data["order"] = data["order"] + [s for s in DEFAULT_ORDER if s in services and s not in data["order"]]
    data.setdefault("events", [])
    data.setdefault("revision", 0)
    return data


def section_problem(service, section):
    """What is wrong with one service section, or None."""
    if not isinstance(section, dict) or not isinstance(section.get("items"), list):
        return "the %s section has no items list" % service
    for number, item in enumerate(section["items"]):
        where = "%s item %d" % (service, number + 1)
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            return "%s has no id" % where
        if item.get("plan") not in PLANS:
            return "%s (%s) has no valid plan" % (where, item["id"])
        if service == "roma" and item["plan"] == "act" and not isinstance(item.get("instance_id"), str):
            return "%s (%s) has no instance_id" % (where, item["id"])
        children = item.get("children", [])
        if not isinstance(children, list) or not all(
                isinstance(c, dict) and isinstance(c.get("id"), str) and c.get("plan") in PLANS for c in children):
            return "%s (%s) has damaged children" % (where, item["id"])
        item.setdefault("name", item["id"])
    for key in ("errors", "done_at", "settings"):
        if not isinstance(section.get(key), dict):
            section[key] = {}
    return None


def upgrade_v1(old):
    """A version-1 record (hwcloud.taskops 0.1) in version-2 form.

    Version 1 kept, per service, the objects running at enter under ``planned``. It had no child detail
    for VIAS, so those batches are brought back whole, as version 1 did (marked ``whole_batch``).
    """
    services = {}
    for service, section in (old.get("services") or {}).items():
        if not isinstance(section, dict):
            services[service] = section
            continue
        planned = section.get("planned")
        if not isinstance(planned, list):
            services[service] = {"items": None}
            continue
        instance_of = {}
        for instance, ids in (section.get("instances") or {}).items():
            for task_id in ids or []:
                instance_of[task_id] = instance
        items = []
        for row in planned:
            if not isinstance(row, dict):
                items.append(row)
                continue
            item = {"id": row.get("id"), "name": row.get("name") or row.get("id"), "plan": "act",
                    "status_before": row.get("status") or row.get("state"), "type": row.get("type"),
                    "action": None}
            if service == "roma":
                item["instance_id"] = instance_of.get(row.get("id"))
            if service == "vias":
                item.update(whole_batch=True, children=[], status_counts=row.get("status_counts") or {})
            items.append(item)
        services[service] = {"items": items, "settings": {"pause_mode": section.get("pause_mode")},
                             "planned_at": section.get("planned_at"), "done_at": {}, "errors": {}}
    status = old.get("status")
    return {"format": FORMAT, "version": VERSION, "upgraded_from": 1, "window_id": old.get("window_id"),
            "host": None, "revision": 0, "status": status,
            "policy": "fail", "order": old.get("order"), "created_at": old.get("created_at"),
            "updated_at": old.get("updated_at"), "entered_at": old.get("entered_at"), "exit_started_at": None,
            "finished_at": old.get("finished_at"), "events": [], "services": services}
