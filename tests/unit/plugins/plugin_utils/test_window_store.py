"""The record's files and the per-window lock: atomic writes, refusal, stale takeover, lost locks."""
import json
import multiprocessing
import os
import subprocess
import sys

import pytest

from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_store import (
    StoreError, WindowLock, process_alive, process_start, read_json, run_owner, write_json,
)


def owner(pid=None, controller="ctl-a", host="localhost"):
    pid = pid or os.getpid()
    return {"controller": controller, "pid": pid, "pid_start": process_start(pid), "inventory_host": host}


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_write_is_atomic_private_and_readable(tmp_path):
    path = str(tmp_path / "deep" / "w.json")
    write_json(path, {"a": 1})
    assert read_json(path) == {"a": 1}
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert oct(os.stat(os.path.dirname(path)).st_mode & 0o777) == "0o700"
    assert os.listdir(os.path.dirname(path)) == ["w.json"]


def test_missing_file_reads_none_and_torn_file_is_refused(tmp_path):
    assert read_json(str(tmp_path / "none.json")) is None
    torn = tmp_path / "torn.json"
    torn.write_text('{"window_id": "x", "sta')
    with pytest.raises(StoreError, match="not valid JSON"):
        read_json(str(torn))


def test_a_live_owner_keeps_the_lock(tmp_path):
    record = str(tmp_path / "w.json")
    WindowLock(record, owner(), 60).acquire("w")
    other = WindowLock(record, owner(pid=1), 60)
    with pytest.raises(StoreError, match="is locked by ansible-playbook pid %d" % os.getpid()):
        other.acquire("w")
    # The owner itself may take it again (enter then exit in one run).
    assert WindowLock(record, owner(), 60).acquire("w") is None


def test_a_dead_owner_on_this_controller_is_taken_over(tmp_path):
    record = str(tmp_path / "w.json")
    WindowLock(record, owner(pid=dead_pid()), 60).acquire("w")
    note = WindowLock(record, owner(), 60).acquire("w")
    assert "no longer runs" in note
    assert json.load(open(record + ".lock"))["owner"]["pid"] == os.getpid()


@pytest.mark.parametrize("lease,break_lock,taken", [(60, False, False), (-1, False, True), (60, True, True)])
def test_a_lock_from_another_controller_needs_an_expired_lease_or_the_operator(tmp_path, lease, break_lock, taken):
    record = str(tmp_path / "w.json")
    WindowLock(record, owner(controller="awx-pod-1"), lease).acquire("w")
    mine = WindowLock(record, owner(controller="awx-pod-2"), 60)
    if taken:
        assert "took over" in mine.acquire("w", break_lock=break_lock)
    else:
        with pytest.raises(StoreError, match="break_lock"):
            mine.acquire("w", break_lock=break_lock)


def test_confirm_fails_once_the_lock_was_taken_and_release_is_only_for_the_owner(tmp_path):
    record = str(tmp_path / "w.json")
    mine = WindowLock(record, owner(controller="a"), 60)
    mine.acquire("w")
    mine.confirm("w")
    thief = WindowLock(record, owner(controller="b"), 60)
    thief.acquire("w", break_lock=True)
    with pytest.raises(StoreError, match="lost the lock"):
        mine.confirm("w")
    assert mine.release() is False
    assert thief.release() is True and not os.path.exists(record + ".lock")


def _contend(record, host, results):
    try:
        WindowLock(record, owner(pid=1, host=host), 60).acquire("w")
        results.put(host)
    except StoreError:
        results.put(None)


def test_many_processes_at_once_exactly_one_wins(tmp_path):
    record = str(tmp_path / "w.json")
    results = multiprocessing.Queue()
    # Each contender is another live owner (pid 1 runs), so no lock it meets is stale.
    contenders = [multiprocessing.Process(target=_contend, args=(record, "h%d" % n, results)) for n in range(8)]
    for process in contenders:
        process.start()
    for process in contenders:
        process.join()
    won = [results.get() for dummy in range(8)]
    assert sum(1 for w in won if w is not None) == 1


def test_run_owner_names_the_parent_process():
    me = run_owner("host-1")
    assert me["pid"] == os.getppid() and me["inventory_host"] == "host-1"


def test_a_killed_process_not_yet_reaped_holds_no_lock():
    """A SIGKILLed run can linger as a zombie until its parent reaps it: it is dead all the same."""
    import time as real_time
    child = subprocess.Popen(["sleep", "30"])
    start = process_start(child.pid)
    assert process_alive(child.pid, start)
    child.kill()
    real_time.sleep(0.3)  # exited, not yet waited for: a zombie
    try:
        assert not process_alive(child.pid, start)
    finally:
        child.wait()


def test_two_runs_creating_the_host_directory_at_once_both_go_on(tmp_path, monkeypatch):
    """The other run creates it between our check and our makedirs (found by the fault suite: EEXIST)."""
    import os as real_os
    from ansible_collections.hwcloud.taskops.plugins.plugin_utils import window_store
    target = str(tmp_path / "state" / "localhost")
    makedirs = real_os.makedirs

    def the_other_run_was_first(path, mode=0o777, exist_ok=False):
        makedirs(path, mode)  # the other run
        makedirs(path, mode, exist_ok)  # ours: EEXIST unless handled

    monkeypatch.setattr(window_store.os, "makedirs", the_other_run_was_first)
    window_store.make_private_dir(target)
    assert real_os.path.isdir(target)
    monkeypatch.setattr(window_store.os, "makedirs", makedirs)
    (tmp_path / "file").write_text("x")
    try:
        window_store.make_private_dir(str(tmp_path / "file"))
    except OSError:
        pass
    else:
        raise AssertionError("a file in the way must not pass for a directory")
