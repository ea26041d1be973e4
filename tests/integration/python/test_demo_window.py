"""The demo scenario's window: its short check-mode preview, and its HTML report rendered by headless Chromium."""
import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from conftest import BIN, ROOT

sys.path.insert(0, os.path.join(ROOT, "tests", "demo"))

from hwc_emulator.testing import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position
from run_demo import window_vars  # noqa: E402  pylint: disable=wrong-import-position

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run_window(emulator, variables, workdir, playbook, *args):
    vars_file = workdir / "window.json"
    vars_file.write_text(json.dumps(variables))
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **emulator.env)
    return subprocess.run([os.path.join(BIN, "ansible-playbook"), "hwcloud.taskops.%s" % playbook, "-e",
                           "@%s" % vars_file] + list(args), env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_demo_preview_is_one_line_per_object_that_would_change(tmp_path):
    with EmulatorProcess(args=["--delay", "0.2"]) as emulator:
        variables = window_vars(emulator.admin("GET", "objects"), str(tmp_path))
        done = run_window(emulator, variables, tmp_path, "maintenance_enter", "--check", "--diff")
        writes = emulator.admin("GET", "stats")["writes"]
    assert done.returncode == 0, done.stdout
    lines = done.stdout.splitlines()
    preview = [line for line in lines if line.startswith(("roma ", "drs ", "vias "))]
    # The demo scenario: 86 ROMA tasks, 16 DRS jobs and 30 VIAS child tasks would be quiesced.
    assert len(preview) == 86 + 16 + 30
    # Measured: 183 lines in all (132 objects, 3 summary lines, task headers); the record is never dumped.
    assert len(lines) <= len(preview) + 60, len(lines)
    assert writes == 0 and "/reports/" not in done.stdout and not os.path.exists(str(tmp_path / "state"))


def render(page, workdir):
    """The DOM after rendering, and a screenshot."""
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=%s" % (workdir / "profile")]
    dom = subprocess.run(command + ["--dump-dom", "file://%s" % page], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    shot = workdir / "report.png"
    subprocess.run(command + ["--window-size=1400,2000", "--screenshot=%s" % shot, "file://%s" % page],
                   capture_output=True, timeout=120, check=True)
    return dom, shot


@pytest.mark.skipif(not CHROMIUM, reason="Chromium is not installed (make test installs it with apt-get as root)")
def test_demo_report_renders_every_object_with_its_times(tmp_path):
    with EmulatorProcess(args=["--delay", "0.2"]) as emulator:
        variables = window_vars(emulator.admin("GET", "objects"), str(tmp_path))
        variables.update(maintenance_window_tasks="", maintenance_window_poll_interval=0.2)
        done = run_window(emulator, variables, tmp_path, "maintenance_window")
        assert done.returncode == 0, done.stdout
    window_id = variables["maintenance_window_id"]
    host_dir = os.path.join(variables["maintenance_window_state_dir"], "localhost")
    page = os.path.join(host_dir, "reports", window_id + ".html")
    with open(os.path.join(host_dir, window_id + ".json")) as handle:
        record = json.load(handle)
    dom, shot = render(page, tmp_path)
    assert "Maintenance window %s" % window_id in dom and ">finished<" in dom
    assert "http://" not in dom.split("<body")[0] and "<script" not in dom  # self-contained
    for service, section in record["services"].items():
        for item in section["items"]:
            ids = [c["id"] for c in item.get("children") or []] or [item["id"]]
            for object_id in ids:
                row = re.search(r"<tr[^>]*><td>[^<]*</td><td><code>%s</code></td>(.*?)</tr>" % object_id, dom)
                assert row, (service, object_id)
                cells = row.group(1)
                if item["plan"] == "act" and (not item.get("children") or any(
                        c["id"] == object_id and c["plan"] == "act" for c in item["children"])):
                    # Quiesced and brought back, each with a time, and a bar on the timeline.
                    assert len(re.findall(r"changed \d\d:\d\d:\d\d", cells)) == 2, (object_id, cells)
                    assert "<span" in cells
    assert os.path.getsize(shot) > 20000
