"""Benchmarks: real ansible-playbook runs against the emulator, with recorded wall time and request counts.

    .venv/bin/python tests/benchmarks/run_benchmarks.py [--latency-ms 20] [--output FILE]

Scenarios (the emulator adds --latency-ms to every answer, standing in for the network):
  batch_1000       stop every running task of an instance of 1,000 (about 500 running) with
                   roma_fdi_tasks, max_concurrency 1 and 4, without waiting
  throttled_1000   the same under a 20 requests/s gateway limit (429 + Retry-After)
  per_item_loop    the anti-pattern the collection avoids: one module call per task, for 20 tasks
  throttled_10000  stop every running task of an instance of 10,000 under a 20 requests/s limit, with
                   max_concurrency 4 and 16: failed items, 429 share, and throughput against the ideal
                   (requests / 20 per second)
Results go to tests/benchmarks/results/ as JSON; docs/benchmarks.md quotes them.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from emulator_process import EmulatorProcess  # noqa: E402  pylint: disable=wrong-import-position

BIN = os.path.dirname(sys.executable)
INSTANCE = "inst-gen-0001"


def playbook(tasks):
    return "- hosts: localhost\n  connection: local\n  gather_facts: false\n  tasks:\n" + tasks


def run_playbook(emulator, text, workdir):
    path = os.path.join(workdir, "bench.yml")
    with open(path, "w") as handle:
        handle.write(text)
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, **emulator.env)
    started = time.monotonic()
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), path], env=env, cwd=ROOT, check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError("benchmark playbook failed:\n%s" % done.stdout[-3000:])
    return elapsed


def stats(emulator):
    data = emulator.admin("GET", "stats")
    by_op = data["by_operation"]
    return {"requests": data["total"], "writes": data["writes"],
            "throttled": sum(v.get("429", 0) for v in by_op.values()),
            "listing_calls": sum(by_op.get("roma.list_tasks", {}).values()),
            "batch_calls": sum(by_op.get("roma.batch_operation", {}).values())}


def running_count(emulator):
    objects = emulator.admin("GET", "objects")
    return sum(1 for t in objects["roma"][INSTANCE] if t["status"] == 1)


def batch(emulator, workdir, concurrency, rate_limit=None):
    emulator.admin("POST", "reset", {"rate_limit": rate_limit})
    running = running_count(emulator)
    elapsed = run_playbook(emulator, playbook(
        "    - hwcloud.taskops.roma_fdi_tasks:\n        instance_id: %s\n        all_tasks: true\n"
        "        state: stopped\n        wait: false\n        max_concurrency: %d\n" % (INSTANCE, concurrency)), workdir)
    result = dict(stats(emulator), tasks_stopped=running, seconds=round(elapsed, 2), max_concurrency=concurrency)
    if rate_limit:
        result["rate_limit_rps"] = rate_limit
    return result


def throttled(emulator, workdir, concurrency, rate_limit=20):
    """Under a gateway limit: every task must be stopped on the first run, and the limit used, not fought."""
    emulator.admin("POST", "reset", {"rate_limit": rate_limit})
    running = running_count(emulator)
    elapsed = run_playbook(emulator, playbook(
        "    - hwcloud.taskops.roma_fdi_tasks:\n        instance_id: %s\n        all_tasks: true\n"
        "        state: stopped\n        wait: false\n        return_items: failed\n        max_concurrency: %d\n"
        "      ignore_errors: true\n" % (INSTANCE, concurrency)), workdir)
    counts = stats(emulator)
    time.sleep(3)  # wait: false returns before the last transitions end; count what is left once they have
    ideal = (counts["requests"] - counts["throttled"]) / float(rate_limit)
    return dict(counts, tasks_to_stop=running, tasks_left_running=running_count(emulator), seconds=round(elapsed, 2),
                max_concurrency=concurrency, rate_limit_rps=rate_limit,
                throttled_share=round(counts["throttled"] / float(counts["requests"]), 3),
                throughput_vs_ideal=round(ideal / elapsed, 2))


def per_item_loop(emulator, workdir, count=20):
    emulator.admin("POST", "reset", {})
    objects = emulator.admin("GET", "objects")
    ids = [t["task_id"] for t in objects["roma"][INSTANCE] if t["status"] == 1][:count]
    elapsed = run_playbook(emulator, playbook(
        "    - hwcloud.taskops.roma_fdi_tasks:\n        instance_id: %s\n        task_ids: ['{{ item }}']\n"
        "        state: stopped\n        wait: false\n      loop: %s\n" % (INSTANCE, json.dumps(ids))), workdir)
    return dict(stats(emulator), tasks_stopped=count, seconds=round(elapsed, 2),
                seconds_per_task=round(elapsed / count, 2))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--output", default=os.path.join(HERE, "results", "latest.json"))
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="hwc-bench-")
    results = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "latency_ms": args.latency_ms,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()}}
    with EmulatorProcess(extra_args=["--generate", "roma=1000", "--latency-ms", str(args.latency_ms)]) as emulator:
        results["batch_1000"] = [batch(emulator, workdir, 1), batch(emulator, workdir, 4)]
        results["throttled_1000"] = batch(emulator, workdir, 4, rate_limit=20)
        results["per_item_loop"] = per_item_loop(emulator, workdir)
    with EmulatorProcess(extra_args=["--generate", "roma=10000", "--latency-ms", str(args.latency_ms)]) as emulator:
        results["throttled_10000"] = [throttled(emulator, workdir, 4), throttled(emulator, workdir, 16)]
    with open(args.output, "w") as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
