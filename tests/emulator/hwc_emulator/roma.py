"""ROMA Connect FDI tasks: listing, showing, batch start/stop, dispatch plans (API v2)."""

import json

from hwc_emulator import errors
from hwc_emulator.model import Item
from hwc_emulator.registry import Route, Service
from hwc_emulator.validate import check_body

EXECUTE_STATUSES = ("UNSTARTED", "WAITING", "RUNNING", "SUCCESS", "CANCELLED", "ERROR")
MAX_BATCH = 10  # the current docs cap the list at 10 entries (an older schema said 9999)
PAGE_CAP = 999
MAX_OFFSET = 20000
NAME_FILTERS = ("name", "task_name", "taks_name")  # SDK, current docs, older doc typo: all honoured

BATCH_SCHEMA = {
    "type": "object",
    "required": ["action_id", "list"],
    "properties": {
        "action_id": {"type": "string", "enum": ["start", "stop"]},
        "list": {"type": "array", "items": {"type": "object", "required": ["task_id"],
                                            "properties": {"task_id": {"type": "string", "maxLength": 64}}}},
    },
}
DISPATCH_SCHEMA = {
    "type": "object",
    "properties": {
        "start_datetime": {"type": "integer"},
        "period": {"type": ["string", "null"], "enum": ["MIN", "HOUR", "DAY", "WEEK", "MON", "", None]},
        "dispatch_interval": {"type": "integer", "minimum": 1, "maximum": 59},
        "remark": {"type": ["string", "null"]},
        "use_quartz_cron": {"type": "boolean"},
        "cron": {"type": ["string", "null"]},
    },
}


def _invalid(detail=None):
    code, message = errors.ROMA_INVALID
    return errors.flat(400, code, message if not detail else "Invalid parameters: %s." % detail)


def _instance(world, instance_id):
    tasks = world.roma.get(instance_id)
    if tasks is None:
        # UNCONFIRMED: the error for an unknown instance is not documented; FDI.3002 is the safest guess.
        raise _invalid("instance_id %s" % instance_id)
    return tasks


def _brief(fields):
    return {
        "task_id": fields["task_id"], "task_name": fields["task_name"], "task_type": fields["task_type"].upper(),
        "status": fields["status"], "created_date": fields["created_date"], "version": fields["version"],
        "last_modified_time": fields["last_modified_time"], "execute_status": fields["execute_status"],
        "source_app_id": fields["source_app_id"], "target_app_id": fields["target_app_id"],
        "source_instance_id": fields["source_instance_id"], "target_instance_id": fields["target_instance_id"],
        "ext_type": fields["ext_type"], "enterprise_project_id": fields["enterprise_project_id"],
        "task_tag": fields["task_tag"],
    }


def _int_param(query, name, default, low, high):
    raw = query.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _invalid(name)
    if name == "offset" and value < 0:
        return 0  # documented: a negative offset becomes 0
    if not low <= value <= high:
        raise _invalid(name)
    return value


def list_tasks(world, ctx, instance_id, query):
    tasks = _instance(world, instance_id)
    # The docs allow 1-1000; the SDK documents 999 as the maximum and larger values as clamped to it.
    limit = min(_int_param(query, "limit", 10, 1, 10 ** 9), PAGE_CAP)
    offset = _int_param(query, "offset", 0, 0, MAX_OFFSET)
    status = query.get("status")
    if status not in (None, "", "0", "1"):
        raise _invalid("status")
    task_type = query.get("task_type")
    if task_type not in (None, "", "realtime", "timing"):
        raise _invalid("task_type")
    execute_status = query.get("execute_status")
    if execute_status and execute_status not in ("UNSTARTED", "WAITING", "RUNNING", "SUCCESS", "CANCELLED", "ERROR"):
        raise _invalid("execute_status")
    name = next((query[n] for n in NAME_FILTERS if query.get(n)), None)
    rows = []
    for item in tasks.values():
        fields = item.view(ctx.now, ctx.lag)
        if query.get("task_id") and fields["task_id"] != query["task_id"]:
            continue
        if name and name.lower() not in fields["task_name"].lower():
            continue
        if status not in (None, "") and fields["status"] != int(status):
            continue
        if task_type and fields["task_type"] != task_type:
            continue
        if execute_status and fields["execute_status"] != execute_status:
            continue
        if query.get("task_tag") and fields["task_tag"] != query["task_tag"]:
            continue
        rows.append(fields)
    reverse = (query.get("sort_type") or "DESC").upper() != "ASC"
    rows.sort(key=lambda f: (f["created_date"], f["task_id"]), reverse=reverse)
    page = rows[offset:offset + limit]
    return 200, {"total": len(rows), "size": len(page), "entities": [_brief(f) for f in page]}


def show_task(world, ctx, instance_id, task_id):
    item = _instance(world, instance_id).get(task_id)
    if item is None:
        raise errors.flat(404, *errors.ROMA_NO_TASK)
    fields = item.view(ctx.now, ctx.lag)
    task = {
        "task_id": fields["task_id"], "task_name": fields["task_name"], "task_type": fields["task_type"],
        # UNCONFIRMED whether the wire value is "stop"/"running" or 0/1; the SDK types it as a string.
        "status": "running" if fields["status"] == 1 else "stop",
        "project_id": ctx.project_id, "source_datasource_id": fields["source_datasource_id"],
        "target_datasource_id": fields["target_datasource_id"], "source_datasource_name": "source",
        "target_datasource_name": "target", "source_app_id": fields["source_app_id"],
        "target_app_id": fields["target_app_id"], "source_app_name": "app-src", "target_app_name": "app-dst",
        "created_date": fields["created_date"], "last_modified_date": fields["last_modified_time"],
        "description": fields["description"], "task_tag": fields["task_tag"],
    }
    return 200, {"task": task, "task_detail": json.dumps({"reader": {}, "writer": {}})}


def batch_operation(world, ctx, instance_id, body):
    tasks = _instance(world, instance_id)
    # An empty or missing list is 'the task list is empty' (FDI.3150), as the definition's example shows.
    if isinstance(body, dict) and body.get("list") in (None, []):
        raise errors.flat(400, *errors.ROMA_EMPTY_LIST)
    check_body(body, BATCH_SCHEMA, _invalid)
    entries = body["list"]
    if len(entries) > MAX_BATCH:
        raise _invalid("list holds %d tasks; at most %d are allowed" % (len(entries), MAX_BATCH))
    if any(not e["task_id"] for e in entries):
        raise errors.flat(400, "FDI.3022", "One or more tasks have an empty task ID.")
    action = body["action_id"]
    ids = list(dict.fromkeys(e["task_id"] for e in entries))
    unknown = [i for i in ids if i not in tasks]
    if unknown and world.roma_unknown_ids == "reject":
        raise errors.flat(400, "FDI.3021", "One or more tasks do not exist.")
    known = [tasks[i] for i in ids if i in tasks]
    for item in known:
        item.advance(ctx.now)
    if action == "start" and any(i.fields["task_type"] == "timing" and not i.fields["dispatch"] for i in known):
        # The whole call is rejected: nothing in this batch changes.
        raise errors.flat(404, *errors.ROMA_NO_PLAN)
    success, failure = [], []
    for task_id in unknown:
        # UNCONFIRMED: per-item failure (default) or whole-call FDI.3021 (scenario roma.unknown_ids: reject).
        code, message = errors.ROMA_NO_TASK
        failure.append({"task_id": task_id, "task_name": None, "error_code": code, "error_msg": message})
    delay = world.delays["roma"]
    for item in known:
        fields = item.fields
        forced = ctx.forced_failure(item.id)
        if forced:
            failure.append({"task_id": item.id, "task_name": fields["task_name"], "error_code": forced[0],
                            "error_msg": forced[1]})
            continue
        target = 1 if action == "start" else 0
        if fields["status"] != target or item.busy:
            if action == "start":
                execute = "RUNNING" if fields["task_type"] == "realtime" else "WAITING"
            else:
                execute = "CANCELLED" if fields["execute_status"] in ("RUNNING", "WAITING") else \
                    fields["execute_status"]
            stamp = int((ctx.now + delay) * 1000)
            item.schedule(ctx.now, [(delay, {"status": target, "execute_status": execute,
                                             "last_modified_time": stamp})])
        # UNCONFIRMED: a task already in the requested status is reported as a success (no-op).
        success.append({"task_id": item.id, "task_name": fields["task_name"]})
    return 200, {"success_count": len(success), "failure_count": len(failure), "success": success,
                 "failure": failure}


def _dispatch_task(world, instance_id, task_id):
    item = _instance(world, instance_id).get(task_id)
    if item is None:
        raise errors.roma_nested(404, "FDI.3180", "This task is not in the project.")
    return item


def create_dispatch(world, ctx, instance_id, task_id, body):
    if not task_id:
        raise errors.roma_nested(400, "FDI.3149", "The task ID is empty.")
    item = _dispatch_task(world, instance_id, task_id)
    check_body(body, DISPATCH_SCHEMA,
               lambda detail: errors.roma_nested(400, "FDI.3002", "Invalid parameters: %s." % detail))
    if not body.get("use_quartz_cron") and not body.get("period"):
        raise errors.roma_nested(400, "FDI.3002", "Invalid parameters: period is required without a cron.")
    if body.get("use_quartz_cron") and len((body.get("cron") or "").split()) != 6:
        raise errors.roma_nested(400, "FDI.3002", "Invalid parameters: cron must have 6 fields.")
    stamp = int(ctx.now * 1000)
    plan = dict(body, dispatch_id=world.hex_id(), task_id=task_id, created_date=stamp, last_modified_date=stamp)
    item.set(ctx.now, dispatch=plan)
    return 200, plan


def show_dispatch(world, ctx, instance_id, task_id):
    item = _dispatch_task(world, instance_id, task_id)
    plan = item.fields.get("dispatch")
    if not plan:
        raise errors.roma_nested(404, *errors.ROMA_NO_PLAN)
    return 200, dict(plan, task_id=task_id)


# ---- scenario --------------------------------------------------------------------------------
def load(world, spec, now):
    world.roma = {}
    world.roma_unknown_ids = spec.get("unknown_ids", "per_item")
    for inst in spec.get("instances") or []:
        tasks = world.roma.setdefault(str(inst["id"]), {})
        specs = list(inst.get("tasks") or []) + _generated(inst.get("generate"), world.rng)
        for index, task in enumerate(specs):
            item_id = str(task.get("id") or world.hex_id())
            running = task.get("status", "stopped") in ("running", 1, "1")
            task_type = task.get("type", "realtime")
            has_plan = task.get("dispatch_plan", task_type == "timing")
            fields = {
                "task_id": item_id, "task_name": task["name"], "task_type": task_type,
                "status": 1 if running else 0,
                "execute_status": task.get("execute_status") or (
                    ("RUNNING" if task_type == "realtime" else "WAITING") if running else "UNSTARTED"),
                "task_tag": task.get("tag", ""), "created_date": world.created(now, index),
                "last_modified_time": world.created(now, index), "version": "1",
                "source_app_id": "app-src", "target_app_id": "app-dst",
                "source_datasource_id": "ds-src-%d" % (index % 7), "target_datasource_id": "ds-dst-%d" % (index % 5),
                "source_instance_id": inst["id"], "target_instance_id": inst["id"],
                "ext_type": None, "enterprise_project_id": "0", "description": task.get("description", ""),
                "dispatch": None,
            }
            if has_plan:
                fields["dispatch"] = {"dispatch_id": world.hex_id(), "period": "HOUR", "dispatch_interval": 1,
                                      "start_datetime": int(now * 1000), "use_quartz_cron": False,
                                      "cron": None, "remark": ""}
            tasks[item_id] = Item(item_id, fields, now)


def _generated(spec, rng):
    if not spec:
        return []
    if isinstance(spec, list):  # several generated groups, e.g. exactly 95 running plus 30 stopped
        return [task for part in spec for task in _generated(part, rng)]
    count = int(spec.get("count", 10))
    prefix = spec.get("prefix", "fdi-task")
    running = float(spec.get("running_ratio", 0.5))
    timing = float(spec.get("timing_ratio", 0.3))
    tasks = []
    for n in range(count):
        task_type = "timing" if rng.random() < timing else "realtime"
        tasks.append({"name": "%s-%05d" % (prefix, n), "type": task_type,
                      "status": "running" if rng.random() < running else "stopped",
                      "tag": spec.get("tag", "tag-%d" % (n % 4))})
    for n in range(int(spec.get("without_plan", 0))):
        tasks.append({"name": "%s-noplan-%02d" % (prefix, n), "type": "timing", "status": "stopped",
                      "dispatch_plan": False})
    return tasks


def _items(world):
    for tasks in world.roma.values():
        yield from tasks.values()


def _snapshot(world, now):
    return {instance: [task.view(now) for task in tasks.values()] for instance, tasks in world.roma.items()}


def _generate(count):
    return {"instances": [{"id": "inst-gen-0001", "generate": {"count": count}}]}


_INSTANCE = "/v2/{project_id}/fdi/instances/{instance_id}"
SERVICE = Service(
    "roma",
    routes=[
        Route("GET", _INSTANCE + "/tasks", "list_tasks",
              lambda w, c, p, q, b: list_tasks(w, c, p["instance_id"], q)),
        Route("GET", _INSTANCE + "/tasks/{task_id}", "show_task",
              lambda w, c, p, q, b: show_task(w, c, p["instance_id"], p["task_id"])),
        Route("POST", _INSTANCE + "/batch-operation/tasks", "batch_operation",
              lambda w, c, p, q, b: batch_operation(w, c, p["instance_id"], b), kind="write"),
        Route("POST", _INSTANCE + "/tasks/{task_id}/dispatches", "create_dispatch",
              lambda w, c, p, q, b: create_dispatch(w, c, p["instance_id"], p["task_id"], b), kind="write"),
        Route("GET", _INSTANCE + "/tasks/{task_id}/dispatches", "show_dispatch",
              lambda w, c, p, q, b: show_dispatch(w, c, p["instance_id"], p["task_id"])),
    ],
    bad_body=lambda: errors.flat(400, *errors.ROMA_INVALID),
    project_error=lambda project_id: errors.flat(400, *errors.ROMA_PROJECT),
    server_error=lambda status: errors.flat(status, *errors.ROMA_INTERNAL),
    load=load, items=_items, snapshot=_snapshot, generate=_generate,
)
