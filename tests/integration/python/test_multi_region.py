"""Three inventory hosts, one per region, each with an emulator of its own: the scale-out unit.

Each host gets its credentials, region, project and endpoints from its host vars (hwcloud_options), and the
test's own environment carries none. Records, locks and reports are per host; set_stats carries every host's
record; a SIGKILL in the middle of enter is brought back, host by host and object by object, by the exit runbook.
"""
import json
import os
import subprocess
import sys
import time

import pytest
import yaml

from conftest import BIN, INTEGRATION, ROOT, WINDOW, snapshot
from hwc_emulator.testing import EmulatorProcess
from processes import kill_tree

CALLBACKS = os.path.join(ROOT, "tests", "chaos", "callback_plugins")
REGIONS = {"region-north": ("cn-north-4", "11111111111111111111111111111111"),
           "region-east": ("cn-east-3", "22222222222222222222222222222222"),
           "region-sea": ("ap-southeast-1", "33333333333333333333333333333333")}


@pytest.fixture(scope="module")
def regions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regions")
    with open(os.path.join(INTEGRATION, "scenario.yml")) as handle:
        base = yaml.safe_load(handle)
    emulators = {}
    try:
        for host, (region, project) in REGIONS.items():
            path = str(folder / ("%s.yml" % host))
            with open(path, "w") as handle:
                yaml.safe_dump(dict(base, region=region, project_id=project), handle)
            emulators[host] = EmulatorProcess(scenario=path, args=["--delay", "0.2"]).__enter__()
        yield emulators
    finally:
        for emulator in emulators.values():
            emulator.__exit__(None, None, None)


def inventory(regions, path):
    hosts = {}
    for host, emulator in regions.items():
        env = emulator.env
        hosts[host] = {"hwcloud_options": {
            "region": env["HW_REGION_NAME"], "project_id": env["HW_PROJECT_ID"],
            "endpoints": json.loads(env["HW_ENDPOINTS"]),
            "access_key": env["HW_ACCESS_KEY"], "secret_key": env["HW_SECRET_KEY"]}}
    with open(path, "w") as handle:
        yaml.safe_dump({"all": {"children": {"regions": {"hosts": hosts}}}}, handle)
    return path


class Estate:
    def __init__(self, regions, tmp_path):
        self.regions = regions
        self.tmp_path = tmp_path
        self.state_dir = str(tmp_path / "state")
        self.inventory = inventory(regions, str(tmp_path / "inventory.yml"))
        self.stats_file = str(tmp_path / "results.jsonl")

    def variables(self, window_id):
        path = str(self.tmp_path / ("%s.json" % window_id))
        with open(path, "w") as handle:
            json.dump(dict(WINDOW, maintenance_window_id=window_id, maintenance_window_state_dir=self.state_dir,
                           maintenance_window_hosts="regions"), handle)
        return path

    def env(self):
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("HW_", "HUAWEICLOUD_")))
        env.update(ANSIBLE_NOCOLOR="1", ANSIBLE_CALLBACK_PLUGINS=CALLBACKS, ANSIBLE_CALLBACKS_ENABLED="record_results",
                   HWC_RESULTS_FILE=self.stats_file)
        return env

    def command(self, playbook, window_id):
        return [os.path.join(BIN, "ansible-playbook"), "-i", self.inventory, "-f", "3",
                "hwcloud.taskops.%s" % playbook, "-e", "@" + self.variables(window_id)]

    def run(self, playbook, window_id):
        done = subprocess.run(self.command(playbook, window_id), env=self.env(), cwd=ROOT, capture_output=True,
                              text=True, timeout=600, check=False)
        return done.returncode, done.stdout + done.stderr

    def custom_stats(self):
        with open(self.stats_file) as handle:
            lines = [json.loads(line) for line in handle]
        return [line["custom"] for line in lines if line["status"] == "stats"]

    def snapshots(self):
        return dict((host, snapshot(emulator)) for host, emulator in self.regions.items())


@pytest.fixture
def estate(regions, tmp_path):
    for emulator in regions.values():
        emulator.admin.reset()
    return Estate(regions, tmp_path)


def test_three_regions_keep_three_records_reports_and_stats(estate):
    before = estate.snapshots()
    code, out = estate.run("maintenance_window", "multi")
    assert code == 0, out
    assert estate.snapshots() == before
    for host in REGIONS:
        folder = os.path.join(estate.state_dir, host)
        with open(os.path.join(folder, "multi.json")) as handle:
            record = json.load(handle)
        assert record["host"] == host and record["status"] == "finished"
        acted = sum(1 for s in record["services"].values() for i in s["items"] if i["plan"] == "act")
        assert acted > 100, acted
        assert sorted(os.listdir(os.path.join(folder, "reports"))) == [
            "multi-enter.json", "multi-enter.md", "multi-exit.json", "multi-exit.md", "multi.html"]
    # Each region's emulator saw its own host's writes only: every one was quiesced and brought back.
    for emulator in estate.regions.values():
        assert emulator.admin("GET", "stats")["writes"] > 0
    stats = estate.custom_stats()[-1]
    assert sorted(stats["maintenance_window_records"]) == sorted(REGIONS)
    assert all(stats["maintenance_window_records"][h]["host"] == h for h in REGIONS)
    assert sorted(stats["hwcloud_maintenance_hosts"]) == sorted(REGIONS)
    assert all(p["status"] == "finished" for p in stats["hwcloud_maintenance_hosts"].values())
    assert "maintenance_window_record" not in stats  # one record under one name would be the last host's


def test_sigkill_during_enter_then_exit_restores_every_region(estate):
    before = estate.snapshots()
    for emulator in estate.regions.values():
        emulator.admin("PUT", "faults", {"faults": [{"type": "hang", "service": "roma", "operation": "batch_operation",
                                                     "when": "after", "ms": 15000, "count": 1}]})
    process = subprocess.Popen(estate.command("maintenance_enter", "killed"), env=estate.env(), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    held = set()
    while time.monotonic() < deadline and len(held) < len(REGIONS) and process.poll() is None:
        held = set(host for host, emulator in estate.regions.items()
                   if any(r["operation"] == "roma.batch_operation" for r in emulator.admin("GET", "inflight")["requests"]))
        time.sleep(0.05)
    kill_tree(process)
    assert len(held) == len(REGIONS), "the enter run did not reach a ROMA write in every region"
    for emulator in estate.regions.values():
        emulator.admin("PUT", "faults", {"faults": []})
        assert snapshot(emulator) != before  # DRS jobs were paused before the kill
    code, out = estate.run("maintenance_exit", "killed")
    assert code == 0, out
    assert estate.snapshots() == before
    for host in REGIONS:
        with open(os.path.join(estate.state_dir, host, "killed.json")) as handle:
            assert json.load(handle)["status"] == "finished"


def test_a_record_from_before_per_host_paths_is_still_found_by_exit(estate):
    regions = dict(list(estate.regions.items())[:1])
    estate.regions = regions
    host = next(iter(regions))
    before = estate.snapshots()
    estate.inventory = inventory(regions, str(estate.tmp_path / "one.yml"))
    code, out = estate.run("maintenance_enter", "legacy")
    assert code == 0, out
    os.rename(os.path.join(estate.state_dir, host, "legacy.json"), os.path.join(estate.state_dir, "legacy.json"))
    code, out = estate.run("maintenance_exit", "legacy")
    assert code == 0, out
    assert estate.snapshots() == before
    with open(os.path.join(estate.state_dir, "legacy.json")) as handle:
        assert json.load(handle)["status"] == "finished"


if sys.platform != "linux":  # pragma: no cover - SIGKILL of a process tree
    pytestmark = pytest.mark.skip("process-tree kills are Linux-only here")
