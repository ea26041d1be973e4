"""The deadline guard: a window past its deadline is exited, one within it is left alone, a finished one ignored."""
import hashlib
import json
import time

from conftest import snapshot

NOTHING = {"maintenance_window_roma": [], "maintenance_window_drs": {}, "maintenance_window_vias": {}}
PAST = dict(NOTHING, maintenance_window_vias={"batch_task_names": ["gate-cams"]}, maintenance_window_max_duration=1)
WITHIN = dict(NOTHING, maintenance_window_drs={"job_names": ["orders-replica"]}, maintenance_window_max_duration="4h")
FINISHED = dict(NOTHING, maintenance_window_roma=[{"instance_id": "inst-it", "task_names": ["orders-sync"]}],
                maintenance_window_max_duration=1)


def guard_vars(runner):
    """The guard takes no window id (an extra var would override the one it passes for each window)."""
    path = runner.tmp_path / "guard.json"
    path.write_text(json.dumps({"maintenance_window_state_dir": runner.state_dir}))
    return str(path)


def digest(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def test_the_guard_exits_only_windows_past_their_deadline(emu, runner):
    before = snapshot(emu)
    assert runner.run("maintenance_window", runner.variables("finished", **FINISHED))[0] == 0
    assert runner.run("maintenance_enter", runner.variables("within", **WITHIN))[0] == 0
    assert runner.run("maintenance_enter", runner.variables("past", **PAST))[0] == 0
    assert runner.record("past")["deadline"] and runner.record("within")["deadline"] > runner.record("past")["deadline"]
    paused = snapshot(emu)
    assert paused["vias"] != before["vias"] and paused["drs"] != before["drs"]
    finished = digest(runner.state_file("finished"))
    code, out = runner.run("status", runner.variables("status", **NOTHING))
    assert code == 0, out
    assert "past: entered, deadline" in out and "within: entered, deadline" in out
    time.sleep(1.5)
    code, out = runner.run("maintenance_guard", guard_vars(runner))
    assert code == 0, out
    assert "3 windows, 2 unfinished, 1 past their deadline" in out and "past: entered" in out and "PAST IT" in out
    after = snapshot(emu)
    assert after["vias"] == before["vias"]  # the window past its deadline was brought back
    assert after["drs"] == paused["drs"]  # the one within its deadline was left paused
    assert runner.record("past")["status"] == "finished" and runner.record("within")["status"] == "entered"
    assert digest(runner.state_file("finished")) == finished
    # A second run finds nothing more to do.
    code, out = runner.run("maintenance_guard", guard_vars(runner))
    assert code == 0 and "0 past their deadline" in out, out
    assert runner.run("maintenance_exit", runner.variables("within", **WITHIN))[0] == 0
    assert snapshot(emu) == before


def test_a_bad_deadline_is_refused_before_any_change(emu, runner):
    for value in ("4 hours", "2001-01-01T00:00:00Z", "nan"):
        code, out = runner.run("maintenance_enter", runner.variables("bad", **dict(PAST, maintenance_window_max_duration=value)))
        assert code != 0 and "maintenance_window_max_duration" in out, out
    assert emu.admin("GET", "stats")["writes"] == 0


def test_enter_shows_the_deadline(emu, runner):
    code, out = runner.run("maintenance_enter", runner.variables("published", **WITHIN))
    assert code == 0, out
    record = runner.record("published")
    assert "published enter: entered, deadline %s;" % record["deadline"] in out
    assert runner.run("maintenance_exit", runner.variables("published", **WITHIN))[0] == 0
