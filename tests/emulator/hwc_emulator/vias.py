"""VIAS v2: batch tasks (list, start/stop a whole batch) and their child tasks.

A batch has no status of its own; the listing reports per-state counts of its
children in ``batch_task_status_info``. Starting or stopping a batch acts on every
child; children that cannot make the move are counted as failed and named in
``error_list``.
"""

import re

from hwc_emulator import errors
from hwc_emulator.model import Item
from hwc_emulator.registry import Route, Service

VIAS_TASK_STATES = (
    "PENDING", "RECOVERING", "STARTING", "UPGRADING", "CREATE_FAILED", "START_FAILED", "RUNNING", "STOPPING",
    "STOPPED", "ABNORMAL", "SUCCEEDED", "FAILED", "DELETING", "FREEZING", "FROZEN",
)
VIAS_COUNT_KEYS = (
    "pending", "recovering", "starting", "upgrading", "create_failed", "start_failed", "running", "stopping",
    "stopped", "abnormal", "succeeded", "failed", "deleting", "freezing", "frozen", "stopped_no_service",
    "scheduling", "lack_of_resources",
)

ID_RE = re.compile(r"^[a-z0-9-_]{4,36}$")
# UNCONFIRMED: children already in (or moving to) the requested state count as succeeded;
# only these states make a child fail the command.
START_FROM = ("STOPPED", "START_FAILED", "FAILED", "SUCCEEDED", "ABNORMAL")
STOP_FROM = ("RUNNING", "STARTING", "PENDING", "RECOVERING", "ABNORMAL")
ALREADY = {"start": ("RUNNING", "STARTING", "PENDING", "RECOVERING"),
           "stop": ("STOPPED", "STOPPING", "SUCCEEDED", "FAILED", "START_FAILED")}


def _invalid(detail):
    code, message = errors.VIAS_INVALID
    return errors.vias(400, code, message, detail=detail, reason="Invalid parameter: %s" % detail,
                       advice="Ensure that the entered parameter is valid.")


def _batch(world, batch_id):
    if not ID_RE.match(batch_id):
        raise _invalid("id")
    batch = world.vias.get(batch_id)
    if batch is None:
        # UNCONFIRMED: no 404 is documented; a missing batch is answered with VIAS.00010002.
        code, message = errors.VIAS_NOT_FOUND
        raise errors.vias(400, code, message, detail="batch task %s does not exist" % batch_id,
                          reason="The batch task does not exist.", advice="Check the batch task ID.")
    return batch


def _int(query, name, default, low, high):
    raw = query.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise _invalid(name)
    return int(raw)


def _counts(children, ctx):
    counts = dict.fromkeys(VIAS_COUNT_KEYS, 0)
    for child in children.values():
        counts[child.view(ctx.now, ctx.lag)["state"].lower()] += 1
    return counts


def list_batch_tasks(world, ctx, query):
    paged = (query.get("is_paged") or "true").lower() != "false"
    page_size = _int(query, "page_size", 10, 5, 200)
    page_num = _int(query, "page_num", 1, 1, 10000)
    order = (query.get("order_by") or "desc").lower()
    sort_name = query.get("sort_name") or "created_at"
    if order not in ("asc", "desc") or sort_name not in ("task_count", "created_at"):
        raise _invalid("order_by" if order not in ("asc", "desc") else "sort_name")
    state = query.get("task_state")
    if state and state not in VIAS_COUNT_KEYS:
        raise _invalid("task_state")
    type_like, name_like = query.get("type_like"), query.get("name_like")
    if type_like and type_like not in ("batch_task_name", "publish_service_name"):
        raise _invalid("type_like")
    groups = [g for g in (query.get("video_group") or "").split(",") if g]
    rows = []
    for batch in world.vias.values():
        counts = _counts(batch["children"], ctx)
        if state and not counts[state]:
            continue
        if name_like:
            field = batch["alg_name"] if type_like == "publish_service_name" else batch["batch_task_name"]
            if name_like not in field:
                continue
        if groups and batch["video_group_name"] not in groups:
            continue
        row = {k: batch[k] for k in ("id", "batch_task_name", "alg_name", "company", "created_at", "type",
                                     "video_group_name", "video_source_name", "priority")}
        row.update(num_task=len(batch["children"]), batch_task_status_info=counts)
        rows.append(row)
    key = "num_task" if sort_name == "task_count" else "created_at"
    rows.sort(key=lambda r: (r[key], r["id"]), reverse=order == "desc")
    page = rows[(page_num - 1) * page_size: page_num * page_size] if paged else rows
    return 200, {"count": len(rows), "batch_task_list": page}


def batch_action(world, ctx, batch_id, command):
    if command not in ("start", "stop"):
        raise _invalid("command")
    batch = _batch(world, batch_id)
    allowed = START_FROM if command == "start" else STOP_FROM
    delay = world.delays["vias"]
    succeeded, failed = 0, []
    for child in batch["children"].values():
        child.advance(ctx.now)
        state = child.fields["state"]
        forced = ctx.forced_failure(child.id)
        if forced:
            failed.append("task %s (%s): %s %s" % (child.id, child.fields["name"], forced[0], forced[1]))
        elif state in ALREADY[command] and not child.busy:
            succeeded += 1
        elif state in allowed or child.busy:
            if command == "start":
                child.set(ctx.now, state="STARTING")
                child.schedule(ctx.now, [(delay, {"state": "RUNNING"})])
            else:
                child.set(ctx.now, state="STOPPING")
                child.schedule(ctx.now, [(delay, {"state": "STOPPED"})])
            succeeded += 1
        else:
            failed.append("task %s (%s) cannot %s in state %s" % (child.id, child.fields["name"], command, state))
    return 200, {"total_count": len(batch["children"]), "succeed_count": succeeded, "failed_count": len(failed),
                 "id": batch_id, "error_list": failed}


def list_tasks(world, ctx, query):
    page_size = _int(query, "page_size", 10, 5, 1000)
    page = _int(query, "page", 1, 1, 100000)  # UNCONFIRMED: a page number, not an offset
    state = query.get("task_state")
    if state and state not in VIAS_TASK_STATES + ("SCHEDULING", "LACK_OF_RESOURCES"):
        raise _invalid("task_state")
    batch_id = query.get("batch_id")
    batches = [_batch(world, batch_id)] if batch_id else list(world.vias.values())
    rows = []
    for batch in batches:
        for child in batch["children"].values():
            f = child.view(ctx.now, ctx.lag)
            if state and f["state"] != state:
                continue
            if query.get("task_name") and query["task_name"] not in f["name"]:
                continue
            rows.append({k: f[k] for k in ("id", "name", "state", "type", "title", "created_at",
                                           "algorithm_publish_id", "service_id", "video_source_name")})
    rows.sort(key=lambda r: (r["created_at"], r["id"]), reverse=(query.get("sort_dir") or "desc") == "desc")
    chunk = rows[(page - 1) * page_size: page * page_size]
    # 'count' is the number of entries on this page, as documented.
    return 200, {"count": len(chunk), "page": page, "page_size": page_size, "tasks": chunk}


def _child(world, task_id):
    if not ID_RE.match(task_id):
        raise _invalid("task_id")
    for batch in world.vias.values():
        if task_id in batch["children"]:
            return batch["children"][task_id]
    code, message = errors.VIAS_NO_TASK
    raise errors.vias(400, code, message, detail="task %s does not exist" % task_id)


def task_action(world, ctx, task_id, command):
    if command not in ("start", "stop"):
        raise _invalid("command")
    child = _child(world, task_id)
    child.advance(ctx.now)
    state = child.fields["state"]
    allowed = START_FROM if command == "start" else STOP_FROM
    if state in allowed:
        moving, final = ("STARTING", "RUNNING") if command == "start" else ("STOPPING", "STOPPED")
        child.set(ctx.now, state=moving)
        child.schedule(ctx.now, [(world.delays["vias"], {"state": final})])
    elif state not in ALREADY[command]:
        raise errors.vias(400, "VIAS.00010004", "The object or parameter is invalid.",
                          detail="task %s cannot %s in state %s" % (task_id, command, state))
    # UNCONFIRMED: the 200 body; the definition carries this stray example.
    return 200, {"id": task_id, "status_code": 200, "status_msg": "success"}


def show_task(world, ctx, task_id):
    child = _child(world, task_id)
    f = child.view(ctx.now, ctx.lag)
    return 200, {
        "id": f["id"], "name": f["name"], "state": f["state"], "status": "",
        "schedule_status": "ACTIVATED" if f["state"] == "RUNNING" else "INACTIVATED",
        "input": {"type": "video_source", "data": []}, "output": {}, "config": {}, "schedule": None,
        "created_at": f["created_at"], "updated_at": f["created_at"], "creator": "emulator",
        "project_id": ctx.project_id, "service_id": f["service_id"], "type": f["type"], "title": f["title"],
        "video_source_name": f["video_source_name"], "error": None, "company": "hwc",
    }


# ---- scenario --------------------------------------------------------------------------------
def load(world, spec, now):
    world.vias = {}
    specs = list(spec.get("batches") or []) + _generated(spec.get("generate"), world.rng)
    for index, batch in enumerate(specs):
        batch_id = str(batch.get("id") or world.hex_id())
        children = {}
        child_specs = batch.get("tasks") or [
            {"name": "%s-cam-%02d" % (batch["name"], n), "state": batch.get("state", "RUNNING")}
            for n in range(int(batch.get("task_count", 3)))]
        for n, child in enumerate(child_specs):
            child_id = str(child.get("id") or world.hex_id())
            state = child.get("state", "RUNNING")
            if state not in VIAS_TASK_STATES:
                raise ValueError("scenario: unknown VIAS task state %r" % state)
            children[child_id] = Item(child_id, {
                "id": child_id, "name": child["name"], "state": state, "type": "0",
                "title": batch.get("title", "demo"), "created_at": str(world.created(now, index * 100 + n)),
                "algorithm_publish_id": "alg-%s" % batch.get("service_name", "crowd-counting"),
                "service_id": "svc-%d" % (index % 4), "video_source_name": "camera-%02d" % n,
                "batch_id": batch_id,
            }, now)
        world.vias[batch_id] = {
            "id": batch_id, "batch_task_name": batch["name"], "alg_name": batch.get("service_name", "crowd-counting"),
            "company": "hwc", "created_at": world.created(now, index), "type": "0",
            "video_group_name": batch.get("video_group_name", "group-%d" % (index % 3)),
            "video_source_name": "camera-00", "priority": batch.get("priority", "low"), "children": children,
        }


def _generated(spec, rng):
    if not spec:
        return []
    return [{"name": "%s-%04d" % (spec.get("prefix", "vias-batch"), n),
             "task_count": int(spec.get("tasks_per_batch", 4)),
             "state": "RUNNING" if rng.random() < float(spec.get("running_ratio", 0.7)) else "STOPPED"}
            for n in range(int(spec.get("count", 5)))]


def _items(world):
    for batch in world.vias.values():
        yield from batch["children"].values()


def _snapshot(world, now):
    return [dict({k: v for k, v in batch.items() if k != "children"},
                 tasks=[child.view(now) for child in batch["children"].values()]) for batch in world.vias.values()]


def _vias_error(status, pair, detail=""):
    return errors.vias(status, pair[0], pair[1], detail=detail)


SERVICE = Service(
    "vias",
    routes=[
        Route("GET", "/v2/{project_id}/batch-tasks", "list_batch_tasks",
              lambda w, c, p, q, b: list_batch_tasks(w, c, q)),
        Route("PUT", "/v2/{project_id}/batch-tasks/{batch_id}/action/{command}", "batch_action",
              lambda w, c, p, q, b: batch_action(w, c, p["batch_id"], p["command"]), kind="write"),
        Route("GET", "/v2/{project_id}/tasks", "list_tasks", lambda w, c, p, q, b: list_tasks(w, c, q)),
        Route("GET", "/v2/{project_id}/tasks/{task_id}", "show_task",
              lambda w, c, p, q, b: show_task(w, c, p["task_id"])),
        Route("PUT", "/v2/{project_id}/tasks/{task_id}/action/{command}", "task_action",
              lambda w, c, p, q, b: task_action(w, c, p["task_id"], p["command"]), kind="write"),
    ],
    bad_body=lambda: _vias_error(400, errors.VIAS_INVALID, "body"),
    project_error=lambda project_id: _vias_error(401, errors.VIAS_AUTH,
                                                 "project %s does not belong to the caller" % project_id),
    server_error=lambda status: errors.vias(status, *errors.VIAS_INTERNAL),
    load=load, items=_items, snapshot=_snapshot,
    generate=lambda count: {"generate": {"count": count}},
)
