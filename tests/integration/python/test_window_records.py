"""Records from another version, or damaged ones: a clear message, and nothing is lost."""
import hashlib
import json

from conftest import snapshot

GATE_ONLY = {"maintenance_window_vias": {"batch_task_names": ["gate-cams"]}}


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def rewrite(runner, window_id, change):
    record = runner.record(window_id)
    change(record)
    if record.pop("_replace", False):
        record = dict((k, record[k]) for k in ("window_id", "status", "order", "services"))
    with open(runner.state_file(window_id), "w") as handle:
        json.dump(record, handle)


def as_version_1(record):
    """The shape hwcloud.taskops 0.1 wrote: per service the objects running at enter under 'planned'."""
    services = {}
    for service, section in record["services"].items():
        planned = [dict(id=i["id"], name=i["name"], status=i["status_before"]) for i in section["items"]
                   if i["plan"] == "act"]
        services[service] = {"phase": "done", "planned": planned, "changed_ids": [p["id"] for p in planned],
                             "pause_mode": "target"}
        if service == "roma":
            instances = {}
            for item in section["items"]:
                if item["plan"] == "act":
                    instances.setdefault(item["instance_id"], []).append(item["id"])
            services[service]["instances"] = instances
    return {"window_id": record["window_id"], "status": "entered", "order": record["order"], "services": services}


def test_a_version_1_record_is_read_and_restored(emu, runner):
    before = snapshot(emu)
    vars_file = runner.variables("old", **GATE_ONLY)
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    rewrite(runner, "old", lambda r: r.update(as_version_1(dict(r)), _replace=True))
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert snapshot(emu) == before
    record = runner.record("old")
    assert record["version"] == 2 and record["upgraded_from"] == 1 and record["status"] == "finished"


def test_an_unknown_version_is_refused_and_left_untouched(emu, runner):
    vars_file = runner.variables("future", **GATE_ONLY)
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    rewrite(runner, "future", lambda r: r.update(version=99))
    fingerprint, count = digest(runner.state_file("future")), emu.admin("GET", "stats")["writes"]
    code, out = runner.run("maintenance_exit", vars_file)
    assert code != 0 and "version 99" in out and "left untouched" in out
    assert digest(runner.state_file("future")) == fingerprint
    assert emu.admin("GET", "stats")["writes"] == count


def test_unreadable_json_is_refused_and_left_untouched(emu, runner):
    vars_file = runner.variables("torn", **GATE_ONLY)
    assert runner.run("maintenance_enter", vars_file)[0] == 0
    path = runner.state_file("torn")
    with open(path) as handle:
        text = handle.read()
    with open(path, "w") as handle:
        handle.write(text[: len(text) // 2])
    fingerprint = digest(path)
    code, out = runner.run("maintenance_exit", vars_file)
    assert code != 0 and "is not valid JSON" in out and "Traceback" not in out
    assert digest(path) == fingerprint


def test_a_damaged_service_does_not_stop_the_others(emu, runner):
    before = snapshot(emu)
    vars_file = runner.variables("damaged")
    assert runner.run("maintenance_enter", vars_file)[0] == 0

    def damage(record):
        del record["services"]["vias"]["items"]
        del record["order"]
        record["services"]["drs"].pop("done_at")
        record["services"]["mystery"] = {"items": []}
    rewrite(runner, "damaged", damage)
    code, out = runner.run("maintenance_exit", vars_file)
    assert code != 0 and "section is damaged" in out and "Traceback" not in out
    after = snapshot(emu)
    assert after["roma"] == before["roma"] and after["drs"] == before["drs"]
    record = runner.record("damaged")
    assert record["status"] == "exit_failed"
    # Kept as it was, for a person to finish by hand.
    assert record["damaged"]["vias"]["section"]["settings"] == {}
    assert "mystery" in record["damaged"]
