"""A SIGKILL at every phase boundary of enter and exit, then the exit runbook: every object as before.

A request is held in the emulator (a 'hang' fault on the first matching call) so that the kill lands
exactly at a chosen point: before a service's first write takes effect, or right after it took effect.
"""
import os
import time

import pytest

from conftest import snapshot
from processes import kill_tree

HOLD_MS = 15000

# (name, operation held, when): 'before' = the write has not taken effect; 'after' = it has.
ENTER_POINTS = [
    ("while planning", "drs.list_jobs", "before"),
    ("before the first write", "drs.batch_pause", "before"),
    ("during the DRS call", "drs.batch_pause", "after"),
    ("after DRS, before ROMA", "roma.batch_operation", "before"),
    ("during the ROMA calls", "roma.batch_operation", "after"),
    ("after ROMA, before VIAS", "vias.batch_action", "before"),
    ("during the VIAS calls", "vias.batch_action", "after"),
]
EXIT_POINTS = [
    ("during the VIAS restore", "vias.task_action", "after"),
    ("during the ROMA restore", "roma.batch_operation", "after"),
    ("during the DRS restore", "drs.batch_retry", "before"),
]


def hold(emu, operation, when):
    service, name = operation.split(".")
    emu.admin("PUT", "faults", {"faults": [{"type": "hang", "service": service, "operation": name,
                                            "when": when, "ms": HOLD_MS, "count": 1}]})


def kill_when_held(emu, process, operation, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if any(r["operation"] == operation for r in emu.admin("GET", "inflight")["requests"]):
            kill_tree(process)
            return True
        time.sleep(0.02)
    return False


def run_exit_until_clean(runner, vars_file, emu):
    emu.admin("PUT", "faults", {"faults": []})
    code, out = runner.run("maintenance_exit", vars_file)
    return code, out


@pytest.mark.parametrize("point", ENTER_POINTS, ids=[p[0] for p in ENTER_POINTS])
def test_kill_during_enter_then_exit_runbook(emu, runner, point):
    name, operation, when = point
    before = snapshot(emu)
    vars_file = runner.variables("kill-enter")
    hold(emu, operation, when)
    process = runner.start("maintenance_enter", vars_file)
    assert kill_when_held(emu, process, operation), "the enter run never reached %s" % operation
    code, out = run_exit_until_clean(runner, vars_file, emu)
    if name == "while planning":
        # Nothing was recorded because nothing was written: exit says so, and a new enter takes the stale lock.
        assert code != 0 and "no maintenance record" in out and "took over the lock" in out
        assert snapshot(emu) == before
        code, out = runner.run("maintenance_window", vars_file)
        assert code == 0, out
    else:
        assert code == 0, out
        assert "took over the lock" in out
    after = snapshot(emu)
    for service in before:
        for object_id, state in before[service].items():
            assert after[service][object_id] == state, (name, service, object_id)
    assert runner.record("kill-enter")["status"] == "finished"


@pytest.mark.parametrize("point", EXIT_POINTS, ids=[p[0] for p in EXIT_POINTS])
def test_kill_during_exit_then_exit_again(emu, runner, point):
    name, operation, when = point
    before = snapshot(emu)
    vars_file = runner.variables("kill-exit")
    code, out = runner.run("maintenance_enter", vars_file)
    assert code == 0, out
    hold(emu, operation, when)
    process = runner.start("maintenance_exit", vars_file)
    assert kill_when_held(emu, process, operation), "the exit run never reached %s" % operation
    assert runner.record("kill-exit")["status"] == "exiting"
    code, out = run_exit_until_clean(runner, vars_file, emu)
    assert code == 0, out
    assert snapshot(emu) == before, name
    assert runner.record("kill-exit")["status"] == "finished"


def test_kill_after_the_last_step(emu, runner):
    """Killed once everything is quiesced but before (or while) the record is closed."""
    before = snapshot(emu)
    vars_file = runner.variables("kill-late")
    process = runner.start("maintenance_enter", vars_file)
    path = runner.state_file("kill-late")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if os.path.exists(path) and "VIAS batch tasks quiesced" in open(path).read():
            kill_tree(process)
            break
        time.sleep(0.01)
    process.wait()
    code, out = runner.run("maintenance_exit", vars_file)
    assert code == 0, out
    assert snapshot(emu) == before


def test_a_write_that_lands_after_exit_read_it_is_brought_back_too(emu, runner):
    """Killed with a stop just applied, and exit's first read is stale: the second pass catches it."""
    before = snapshot(emu)
    vars_file = runner.variables("kill-stale", maintenance_window_recheck_delay=4)
    hold(emu, "roma.batch_operation", "after")
    process = runner.start("maintenance_enter", vars_file)
    assert kill_when_held(emu, process, "roma.batch_operation")
    # Exit reads the state as it was 3 s ago: the stop that just landed is invisible to its first pass.
    emu.admin("PUT", "faults", {"faults": [{"type": "stale_reads", "lag_ms": 3000}]})
    code, out = runner.run("maintenance_exit", vars_file)
    emu.admin("PUT", "faults", {"faults": []})
    assert code == 0, out
    assert "Bring those services back once more" in out
    assert snapshot(emu) == before
