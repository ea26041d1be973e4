"""DRS replication delay and POST /v3/{project_id}/jobs/batch-progress (SDK QueryProgressResp).

A job's incremental delay grows with the clock while it does not replicate (paused, failed, starting) and
drains at ``drs.delay_drain_ms_per_s`` while it transfers incrementally, down to its ``delay_floor_ms`` (a job
with a high floor never catches up). Delay is worked out lazily from the job's status history, like every
other transition of the emulator.
"""

from hwc_emulator import drs, errors
from hwc_emulator.validate import check_body

SCHEMA = {"type": "object", "required": ["jobs"], "properties": {"jobs": {"type": "array", "items": {
    "type": "string"}}}}
REPLICATING = ("INCRE_TRANSFER_STARTED", "CHILD_TRANSFER_STARTED")
FULL_STAGE = ("FULL_TRANSFER_STARTED", "FULL_TRANSFER_COMPLETE")


def _evolve(world, fields, status, seconds):
    delay = fields["delay_ms"]
    if status in REPLICATING:
        return max(fields["delay_floor_ms"], delay - world.drs_delay_drain * seconds)
    if status in FULL_STAGE:
        return delay
    return delay + 1000.0 * seconds  # not replicating: the source moves on, the replica does not


def delay_ms(world, item, now):
    """The job's delay now, rebased on every status change since it was last worked out."""
    item.advance(now)
    fields = item.fields
    status = item.history[0][1]["status"]  # what it was at the oldest change remembered
    for stamp, snapshot in item.history:
        if stamp <= fields["delay_at"]:
            status = snapshot["status"]
            continue
        fields["delay_ms"] = _evolve(world, fields, status, stamp - fields["delay_at"])
        fields["delay_at"], status = stamp, snapshot["status"]
    fields["delay_ms"] = _evolve(world, fields, status, now - fields["delay_at"])
    fields["delay_at"] = now
    return fields["delay_ms"]


def batch_progress(world, ctx, body):
    check_body(body, SCHEMA, drs.param_error)
    ids = list(dict.fromkeys(body["jobs"]))
    if not ids:
        code, message = errors.DRS_EMPTY
        raise errors.flat(400, code, message % "jobs")
    if len(ids) > drs.MAX_PER_PAGE:
        raise drs.param_error("at most %d jobs per call" % drs.MAX_PER_PAGE)
    results = []
    for job_id in ids:
        item = world.drs.get(job_id)
        if item is None:
            code, message = errors.DRS_NO_JOB
            results.append({"job_id": job_id, "error_code": code, "error_msg": message})
            continue
        millis = int(delay_ms(world, item, ctx.now))
        status = item.fields["status"]
        incremental = status not in FULL_STAGE and status != "CONFIGURATION"
        results.append({
            "job_id": job_id, "progress": "100" if incremental else "50", "transfer_status": status,
            "task_mode": item.fields["task_type"], "incre_trans_delay": str(millis // 1000) if incremental else "",
            "incre_trans_delay_millis": str(millis) if incremental else "", "process_time": "",
            "remaining_time": "0"})
    return 200, {"count": len(results), "results": results}
