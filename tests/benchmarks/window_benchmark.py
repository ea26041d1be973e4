"""The demo maintenance window, measured: bookkeeping share of wall time and API requests against the lower bound.

    .venv/bin/python tests/benchmarks/window_benchmark.py [--latency-ms 0] [--output FILE]

Bookkeeping is every task of the role that is not a service module call (record ops, includes, set_stats,
debug), timed from one task start to the next. Requests are split per service-module task: reads before the
task's first write and its writes count; reads after its first write are polls, which are excluded. The lower
bound is computed from the window's record: per phase one listing per ROMA instance, one DRS read, one VIAS
batch listing plus one child listing per batch that has children to act on (at enter, only batches whose counts
show running or uncontrollable children), and the fewest writes (ROMA ceil(n/10) per instance, DRS ceil(n/100),
VIAS one batch call where every child of the batch moves, one call per child otherwise).
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "demo"))

from hwc_emulator.testing import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position
from run_demo import window_vars  # noqa: E402  pylint: disable=wrong-import-position

BIN = os.path.dirname(sys.executable)
SERVICE_MODULES = ("hwcloud.taskops.roma_fdi_tasks", "hwcloud.taskops.drs_batch_jobs",
                   "hwcloud.taskops.batch_task_action")
WRITES = ("roma.batch_operation", "drs.batch_pause", "drs.batch_retry", "drs.batch_start", "vias.batch_action",
          "vias.task_action")


def durations(events):
    """(action, name, seconds, start, end) per task, from one task start to the next."""
    starts = [e for e in events if e["action"] != "(item)"]
    return [(e["action"], e["name"], nxt["at"] - e["at"], e["at"], nxt["at"]) for e, nxt in zip(starts, starts[1:])]


def module_runs(events):
    """(start, end) of every service-module run: a task, or each loop item of a looped task."""
    runs, current = [], None
    for event in events:
        if event["action"] == "(item)" and current is not None:
            runs.append((current, event["at"]))
            current = event["at"]
        elif event["action"] != "(item)":
            current = event["at"] if event["action"] in SERVICE_MODULES else None
    return runs


def count_requests(log, runs):
    """(counted, polls): requests of each module run, split at the run's first write."""
    counted = polls = 0
    for start, end in runs:
        mine = [r for r in log if start <= r["time"] <= end]
        written = False
        for request in mine:
            if request["operation"] in WRITES:
                written = True
                counted += 1
            elif written:
                polls += 1
            else:
                counted += 1
    return counted, polls


def lower_bound(record):
    bound = 0
    for service, section in record["services"].items():
        acting = [i for i in section["items"] if i["plan"] == "act"]
        if service == "roma":
            instances = set(i["instance_id"] for i in section["items"])
            by_instance = {}
            for item in acting:
                by_instance[item["instance_id"]] = by_instance.get(item["instance_id"], 0) + 1
            writes = sum(math.ceil(n / 10.0) for n in by_instance.values())
            bound += len(instances) + len(by_instance) + 2 * writes
        elif service == "drs":
            bound += 2 + (2 * math.ceil(len(acting) / 100.0) if acting else 0)
        else:
            listed = [i for i in section["items"] if i.get("children")]
            writes = 0
            for item in acting:
                moving = [c for c in item["children"] if c["plan"] == "act"]
                whole = len(moving) == len(item["children"])
                writes += 1 if whole else len(moving)
            bound += 2 + len(listed) + len(acting) + 2 * writes
    return bound


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "window.json"))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="hwc-window-bench-")
    with EmulatorProcess(args=["--delay", "0.3", "--latency-ms", str(args.latency_ms)]) as emulator:
        variables = window_vars(emulator.admin("GET", "objects"), workdir)
        variables.update(maintenance_window_tasks="", maintenance_window_poll_interval=0.5)
        vars_file = os.path.join(workdir, "window.json")
        with open(vars_file, "w") as handle:
            json.dump(variables, handle)
        timeline = os.path.join(workdir, "timeline.json")
        env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, HWC_TIMELINE_FILE=timeline,
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback"), ANSIBLE_CALLBACKS_ENABLED="task_timeline",
                   **emulator.env)
        started = time.time()
        done = subprocess.run([os.path.join(BIN, "ansible-playbook"), "hwcloud.taskops.maintenance_window", "-e",
                               "@" + vars_file], env=env, cwd=ROOT, capture_output=True, text=True, check=False)
        wall = time.time() - started
        if done.returncode != 0:
            print(done.stdout[-4000:])
            return 1
        log = emulator.admin("GET", "requests")["requests"]
    with open(timeline) as handle:
        events = json.load(handle)
    tasks = durations(events)
    with open(os.path.join(variables["maintenance_window_state_dir"], "localhost",
                           variables["maintenance_window_id"] + ".json")) as handle:
        record = json.load(handle)
    role_tasks = [t for t in tasks if not t[0].startswith("(")]
    bookkeeping = sum(t[2] for t in role_tasks if t[0] not in SERVICE_MODULES)
    counted, polls = count_requests(log, module_runs(events))
    bound = lower_bound(record)
    result = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "latency_ms": args.latency_ms,
              "wall_seconds": round(wall, 2), "bookkeeping_seconds": round(bookkeeping, 2),
              "bookkeeping_share": round(bookkeeping / wall, 3),
              "module_seconds": round(sum(t[2] for t in role_tasks if t[0] in SERVICE_MODULES), 2),
              "requests_total": len(log), "requests_polls": polls, "requests_counted": counted,
              "requests_lower_bound": bound, "request_ratio": round(counted / float(bound), 3),
              "slowest_bookkeeping": sorted(([round(t[2], 3), t[1]] for t in role_tasks
                                             if t[0] not in SERVICE_MODULES), reverse=True)[:5]}
    with open(args.output, "w") as handle:
        json.dump(result, handle, indent=2)
        handle.write("\n")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
