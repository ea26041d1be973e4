"""make demo: a maintenance window against the bundled emulator, end to end, with real ansible-playbook.

Starts the emulator with its demo scenario (2 ROMA instances x 60 FDI tasks, 25 DRS jobs in mixed
statuses, 8 VIAS batches), runs `ansible-playbook hwcloud.taskops.maintenance_window` over all of
them with a sample maintenance task, checks that every object is back in its prior state, prints a
summary table and the report's path, stops the emulator and exits 0 (non-zero on any difference).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from hwc_emulator.testing import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

BIN = os.path.dirname(sys.executable)


def states(objects):
    """Comparable state of every object: ROMA status, DRS status, VIAS child states."""
    roma = dict((t["task_id"], t["status"]) for tasks in objects["roma"].values() for t in tasks)
    drs = dict((j["id"], j["status"]) for j in objects["drs"])
    vias = dict((c["id"], c["state"]) for b in objects["vias"] for c in b["tasks"])
    return {"roma": roma, "drs": drs, "vias": vias}


def window_vars(objects, workdir):
    return {
        "maintenance_window_id": "demo-%s" % time.strftime("%Y%m%dT%H%M%S", time.gmtime()),
        "maintenance_window_state_dir": os.path.join(workdir, "state"),
        "maintenance_window_poll_interval": 0.5,
        "maintenance_window_roma": [{"instance_id": inst, "all_tasks": True} for inst in sorted(objects["roma"])],
        "maintenance_window_drs": {"job_names": sorted(j["name"] for j in objects["drs"]), "pause_mode": "target"},
        "maintenance_window_vias": {"batch_task_names": sorted(b["batch_task_name"] for b in objects["vias"])},
        "maintenance_window_tasks": os.path.join(HERE, "maintenance_tasks.yml"),
    }


def table(before, after, record):
    rows = [("service", "objects", "quiesced", "already quiet", "skipped", "brought back", "back as before")]
    labels = {"roma": "ROMA FDI tasks", "drs": "DRS jobs", "vias": "VIAS child tasks"}
    for service in ("roma", "drs", "vias"):
        items = record["services"][service]["items"]
        if service == "vias":  # counted child by child: that is the level a window stops and restores
            # A batch with nothing to act on is not read child by child: its children count as already quiet.
            items = [dict(c, exit=b.get("exit")) for b in items for c in b["children"]] + [
                {"plan": "quiet"} for b in items if not b["children"] for dummy in range(sum(b["status_counts"].values()))]
        count = dict((p, sum(1 for i in items if i["plan"] == p)) for p in ("act", "quiet", "skipped"))
        back = sum(1 for i in items if i["plan"] == "act" and (i.get("exit") or {}).get("result") in
                   ("changed", "unchanged"))
        rows.append((labels[service], str(len(items)), str(count["act"]), str(count["quiet"]), str(count["skipped"]),
                     str(back), "yes" if before[service] == after[service] else "NO"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths).rstrip())
    return "\n".join(lines)


def main():
    started = time.monotonic()
    workdir = tempfile.mkdtemp(prefix="hwcloud-demo-")
    print("Starting the emulator with the demo scenario ...", flush=True)
    with EmulatorProcess(args=["--delay", "0.3"]) as emulator:
        objects = emulator.admin("GET", "objects")
        before = states(objects)
        variables = window_vars(objects, workdir)
        vars_file = os.path.join(workdir, "window.json")
        with open(vars_file, "w") as handle:
            json.dump(variables, handle, indent=2)
        env = dict(os.environ, **emulator.env)
        env.update(ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_CALLBACK_RESULT_FORMAT="yaml", ANSIBLE_DISPLAY_SKIPPED_HOSTS="false")
        command = [os.path.join(BIN, "ansible-playbook"), "hwcloud.taskops.maintenance_window", "-e", "@" + vars_file]
        print("Running: ansible-playbook hwcloud.taskops.maintenance_window -e @%s" % vars_file, flush=True)
        log_path = os.path.join(workdir, "ansible.log")
        with open(log_path, "w") as log:
            code = subprocess.call(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        after = states(emulator.admin("GET", "objects"))
        stats = emulator.admin("GET", "stats")
    host_dir = os.path.join(variables["maintenance_window_state_dir"], "localhost")
    state_file = os.path.join(host_dir, variables["maintenance_window_id"] + ".json")
    if not os.path.exists(state_file):
        print("DEMO FAILED: ansible-playbook exited %d and wrote no window record; its output: %s" % (code, log_path))
        return 1
    with open(state_file) as handle:
        record = json.load(handle)
    report = os.path.join(host_dir, "reports",
                          variables["maintenance_window_id"] + ".html")
    print()
    print(table(before, after, record))
    print()
    print("window %s: %s; %d API requests (%d writes); %.0f s" % (
        record["window_id"], record["status"], stats["total"], stats["writes"], time.monotonic() - started))
    print("report: %s" % report)
    print("record: %s" % state_file)
    print("ansible-playbook output: %s" % log_path)
    if code != 0 or before != after or record["status"] != "finished":
        print("DEMO FAILED: ansible-playbook exited %d; objects back as before: %s" % (code, before == after))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
