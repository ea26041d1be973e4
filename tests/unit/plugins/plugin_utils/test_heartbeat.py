"""The controller's heartbeat while a module waits, and the module's progress file it reads."""
import json
import threading

import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import progress_writer
from ansible_collections.hwcloud.taskops.plugins.plugin_utils.heartbeat import Heartbeat, heartbeat_interval


@pytest.mark.parametrize("args,check_mode,expected", [
    ({}, False, 15), ({"heartbeat": 5}, False, 5), ({"heartbeat": "30"}, False, 30),
    ({"heartbeat": 0}, False, None), ({"heartbeat": -1}, False, None), ({"heartbeat": 99999}, False, None),
    ({"heartbeat": "soon"}, False, None), ({"heartbeat": float("nan")}, False, None),
    ({}, True, None), ({"wait": False}, False, None), ({"wait": "false"}, False, None),
])
def test_when_there_is_a_heartbeat(args, check_mode, expected):
    assert heartbeat_interval(args, check_mode) == expected


def test_the_line_counts_what_the_module_last_wrote(tmp_path):
    path = str(tmp_path / "progress.json")
    now = [100.0]
    beat = Heartbeat("hwcloud.taskops.drs_batch_jobs [eu]", 15, path, clock=lambda: now[0])
    beat.started = 100.0
    now[0] = 145.0
    assert beat.line() == "hwcloud.taskops.drs_batch_jobs [eu]: still running after 45 s"
    progress_writer(path)({"phase": "waiting", "acted": 25, "settled": 20, "pending": 5, "failed": 0})
    assert beat.line() == ("hwcloud.taskops.drs_batch_jobs [eu]: waiting after 45 s: 20 settled, 5 pending, "
                           "0 failed of 25 acted on")
    (tmp_path / "progress.json").write_text("{half a wri")
    assert beat.line().endswith("still running after 45 s")  # a torn file is skipped, never an error


def test_it_beats_until_the_module_returns_and_cleans_up(tmp_path):
    path = tmp_path / "progress.json"
    lines, three = [], threading.Event()

    def show(line):
        lines.append(line)
        if len(lines) == 3:
            three.set()

    with Heartbeat("task [h]", 0.01, str(path), show=show):
        path.write_text(json.dumps({"acted": 1, "pending": 1}))
        assert three.wait(5)
    count = len(lines)
    assert not path.exists()
    three.clear()
    assert not three.wait(0.05) and len(lines) == count  # stopped with the module


def test_a_progress_file_that_cannot_be_written_never_fails_the_run(tmp_path):
    progress_writer(str(tmp_path / "missing-dir" / "progress.json"))({"pending": 1})
    assert list(tmp_path.iterdir()) == []
    assert progress_writer(None) is None
