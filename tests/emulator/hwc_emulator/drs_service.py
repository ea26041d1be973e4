"""DRS as the registry serves it: the v3 batch APIs (drs.py), v5 (drs_v5.py) and replication delay
(drs_delay.py) over one set of jobs, and how a scenario builds them."""

from hwc_emulator import drs, drs_delay, drs_v5, errors
from hwc_emulator.model import Item
from hwc_emulator.registry import Route, Service


def load(world, spec, now):
    # UNCONFIRMED whether a paused job can be paused again with a stricter pause_mode: refuse (the safe
    # guess, DRS.M01504) or allow (the mode changes from target to all).
    world.drs_repause = spec.get("repause", "refuse")
    # UNCONFIRMED: no per-call job limit is documented for the v3 batch APIs; 100 matches the page size.
    world.drs_batch_limit = int(spec.get("batch_limit", 100))
    # UNCONFIRMED v5 facts and the v3 withdrawal: see drs_v5.py.
    world.drs_v5_action_answer = spec.get("v5_action_answer", "sync")
    world.drs_v5_paused_status = spec.get("v5_paused_status", "PAUSING")
    world.drs_v3 = spec.get("v3", "served")
    # How fast a replicating job catches up: milliseconds of delay drained per second.
    world.drs_delay_drain = float(spec.get("delay_drain_ms_per_s", 2000))
    world.drs = {}
    specs = list(spec.get("jobs") or []) + _generated(spec.get("generate"), world.rng)
    for index, job in enumerate(specs):
        parent_id = _add_job(world, job, now, index, None)
        # Dual-active DR: the parent's child jobs are jobs of their own, nested under it in the listing.
        for number, child in enumerate(job.get("children") or []):
            _add_job(world, dict({"db_use_type": "cloudDataGuard"}, **child), now, index * 100 + number + 1,
                     parent_id)


def _add_job(world, job, now, index, parent_id):
    item_id = str(job.get("id") or world.uuid())
    status = job.get("status", "INCRE_TRANSFER_STARTED")
    if status not in drs.STATUSES:
        raise ValueError("scenario: unknown DRS status %r for job %s" % (status, job.get("name")))
    fields = {
        "id": item_id, "name": job["name"], "status": status,
        "task_type": job.get("task_type", "FULL_INCR_TRANS"),
        "db_use_type": job.get("db_use_type", "cloudDataGuard" if job.get("children") else "migration"),
        "engine_type": job.get("engine_type", "mysql"),
        "net_type": "eip", "job_direction": "up", "create_time": str(world.created(now, index)),
        "description": job.get("description", ""), "resume_status": job.get("resume_status"),
        "error_code": job.get("error_code", ""), "error_message": job.get("error_message", ""),
        "start_time": None, "parent_id": parent_id,
        "is_parent": bool(job.get("children")), "pause_mode": job.get("pause_mode"),
        # Replication delay (drs_delay.py): its value at delay_at, and the least it drains to.
        "delay_ms": float(job.get("delay_ms", 0)), "delay_floor_ms": float(job.get("delay_floor_ms", 0)),
        "delay_at": now,
    }
    if status == "PAUSING" and not fields["resume_status"]:
        fields["resume_status"] = "INCRE_TRANSFER_STARTED"
    if status == "PAUSING" and not fields["pause_mode"]:
        fields["pause_mode"] = "target"
    world.drs[item_id] = Item(item_id, fields, now)
    return item_id


def _generated(spec, rng):
    if not spec:
        return []
    weights = spec.get("statuses") or {"INCRE_TRANSFER_STARTED": 5, "FULL_TRANSFER_STARTED": 2, "PAUSING": 1,
                                       "CONFIGURATION": 1, "INCRE_TRANSFER_FAILED": 1, "CREATE_FAILED": 1}
    names, counts = zip(*weights.items())
    return [{"name": "%s-%05d" % (spec.get("prefix", "drs-job"), n), "status": rng.choices(names, counts)[0]}
            for n in range(int(spec.get("count", 10)))]


def _snapshot(world, now):
    return [job.view(now) for job in world.drs.values()]


def _v3_served(world):
    return world.drs_v3 != "withdrawn"


def _v3(method, path, operation, handler, kind="read"):
    return Route(method, "/v3/{project_id}/jobs" + path, operation, handler, kind=kind, available=_v3_served)


SERVICE = Service(
    "drs",
    routes=[
        _v3("POST", "/batch-starting", "batch_start", lambda w, c, p, q, b: drs.batch_start(w, c, b), "write"),
        _v3("POST", "/batch-pause-task", "batch_pause", lambda w, c, p, q, b: drs.batch_pause(w, c, b), "write"),
        _v3("POST", "/batch-retry-task", "batch_retry", lambda w, c, p, q, b: drs.batch_retry(w, c, b), "write"),
        _v3("POST", "/batch-status", "batch_status", lambda w, c, p, q, b: drs.batch_status(w, c, b)),
        _v3("POST", "/batch-detail", "batch_detail", lambda w, c, p, q, b: drs.batch_detail(w, c, b)),
        _v3("POST", "/batch-progress", "batch_progress", lambda w, c, p, q, b: drs_delay.batch_progress(w, c, b)),
        _v3("POST", "", "list_jobs", lambda w, c, p, q, b: drs.list_jobs(w, c, b)),
        Route("POST", "/v5/{project_id}/jobs/action", "v5_action",
              lambda w, c, p, q, b: drs_v5.batch_action(w, c, b), kind="write"),
        Route("POST", "/v5/{project_id}/jobs/batch-stop", "v5_batch_stop",
              lambda w, c, p, q, b: drs_v5.batch_stop(w, c, b), kind="write"),
        Route("GET", "/v5/{project_id}/jobs", "v5_list_jobs", lambda w, c, p, q, b: drs_v5.list_jobs(w, c, q)),
        Route("GET", "/v5/{project_id}/jobs/{job_id}/actions", "v5_show_actions",
              lambda w, c, p, q, b: drs_v5.show_actions(w, c, p["job_id"])),
    ],
    bad_body=lambda: errors.flat(400, errors.DRS_PARAM[0], "Parameter error: the body is not valid JSON."),
    project_error=lambda project_id: errors.flat(403, *errors.DRS_PROJECT),
    server_error=lambda status: errors.flat(status, *errors.DRS_INTERNAL),
    load=load, items=lambda world: iter(world.drs.values()), snapshot=_snapshot,
    generate=lambda count: {"generate": {"count": count}},
)
