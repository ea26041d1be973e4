"""Benchmarks: real ansible-playbook runs against the emulator, side by side, with ratios.

    .venv/bin/python tests/benchmarks/run_benchmarks.py [--latency-ms 20] [--sizes 100,1000,10000,50000]
                                                         [--only NAME,...] [--output FILE]

Scenarios (the emulator adds --latency-ms to every answer, standing in for the network; nothing else):
  roundtrip     one signed-or-token GET to the emulator at latency 0, median of 200 (is the emulator honest?)
  naive_100     100 running tasks stopped three ways: one roma_fdi_tasks call; the ansible.builtin.uri loop users
                write (log in, list, one POST per task); a loop of one module call per task. Ratios of the whole
                ansible-playbook run and of the tasks alone (start-up excluded, from a timeline callback)
  noop          a module run with nothing to do against one ansible.builtin.uri GET
  scale         stop every running task of instances of --sizes tasks and wait: wall time, seconds per 1,000
                tasks, and API requests (polls excluded) against the lower bound
  services      the same ratio for DRS (250 jobs paused) and VIAS (20 batches stopped) at the default settings
  throttled     1,000 and 10,000 tasks under a 20 requests/s gateway limit at max_concurrency 4 and 16: failed
                items, 429 share, and throughput against the ideal (20 requests/s from the first request to the
                last, measured by the emulator)
  settle        transitions of 1 to 10 s: how long after the last task settled the wait noticed
Results go to tests/benchmarks/results/latest.json; docs/benchmarks.md quotes them.
"""
import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

import requests
from hwc_emulator.testing import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

BIN = os.path.dirname(sys.executable)
INSTANCE = "inst-gen-0001"
WRITE_OPERATIONS = ("roma.batch_operation", "drs.batch_start", "drs.batch_pause", "drs.batch_retry",
                    "vias.batch_action", "vias.task_action")
TASKS_PATH = "/v2/%s/fdi/instances/%s/tasks"


class Bench:
    """One emulator and a scratch directory; runs playbooks and reads the emulator's request log."""

    def __init__(self, workdir, scenario=None, generate=None, latency_ms=0.0, delay=None):
        args = ["--latency-ms", str(latency_ms)]
        if generate:
            args += ["--generate", generate]
        if delay is not None:
            args += ["--delay", str(delay)]
        path = None
        if scenario:
            path = os.path.join(workdir, "scenario.json")
            with open(path, "w") as handle:
                json.dump(scenario, handle)
        self.workdir = workdir
        self.emulator = EmulatorProcess(scenario=path, args=args)

    def __enter__(self):
        self.emulator.__enter__()
        return self

    def __exit__(self, *exc):
        return self.emulator.__exit__(*exc)

    def reset(self, rate_limit=None):
        self.emulator.admin("POST", "reset", {"rate_limit": rate_limit})

    def run(self, tasks, extra_vars=None):
        play = [{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": tasks}]
        path = os.path.join(self.workdir, "bench.yml")
        with open(path, "w") as handle:
            json.dump(play, handle)
        command = [os.path.join(BIN, "ansible-playbook"), path]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        timeline = os.path.join(self.workdir, "timeline.json")
        env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, HWC_TIMELINE_FILE=timeline,
                   ANSIBLE_CALLBACK_PLUGINS=os.path.join(HERE, "callback"), ANSIBLE_CALLBACKS_ENABLED="task_timeline",
                   **self.emulator.env)
        started = time.monotonic()
        done = subprocess.run(command, env=env, cwd=ROOT, check=False, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        elapsed = time.monotonic() - started
        if done.returncode != 0:
            raise RuntimeError("benchmark playbook failed:\n%s" % done.stdout[-3000:])
        with open(timeline) as handle:
            events = json.load(handle)
        # The tasks alone: from the first task's start to the end of the play (ansible-playbook's start-up excluded).
        self.task_seconds = events[-1]["at"] - next(e["at"] for e in events if e["action"] != "(start)")
        return elapsed

    def log(self):
        data = self.emulator.admin("GET", "requests")
        return data.get("requests", data) if isinstance(data, dict) else data

    def objects(self, service):
        return self.emulator.admin("GET", "objects")[service]

    def token(self):
        env = self.emulator.env
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": env["HW_USER_NAME"], "password": env["HW_PASSWORD"], "domain": {"name": env["HW_DOMAIN_NAME"]}}}},
            "scope": {"project": {"name": env["HW_REGION_NAME"]}}}}
        answer = requests.post(env["HWC_EMULATOR_URL"] + "/v3/auth/tokens", json=body, timeout=10)
        answer.raise_for_status()
        return answer.headers["X-Subject-Token"]


def split(log):
    """Requests before the first write plus writes (what the lower bound counts), polls after it, and 429s."""
    first_write = next((r["seq"] for r in log if r["operation"] in WRITE_OPERATIONS), None)
    polls = [r for r in log if first_write is not None and r["seq"] > first_write
             and r["operation"] not in WRITE_OPERATIONS]
    return {"requests": len(log) - len(polls), "polls": len(polls),
            "writes": sum(1 for r in log if r["operation"] in WRITE_OPERATIONS),
            "throttled": sum(1 for r in log if r["status"] == 429)}


def roma_task(**options):
    args = dict({"instance_id": INSTANCE, "all_tasks": True, "state": "stopped", "return_items": "none"}, **options)
    return {"hwcloud.taskops.roma_fdi_tasks": args}


def running(bench):
    return [t["task_id"] for t in bench.objects("roma")[INSTANCE] if t["status"] == 1]


# ---- scenarios ---------------------------------------------------------------------------------------------
def roundtrip(workdir, count=200):
    with Bench(workdir, generate="roma=100") as bench:
        env = bench.emulator.env
        session = requests.Session()
        session.headers["X-Auth-Token"] = bench.token()
        url = env["HWC_EMULATOR_URL"] + TASKS_PATH % (env["HW_PROJECT_ID"], INSTANCE) + "?limit=1&offset=0"
        times = []
        for dummy in range(count):
            started = time.perf_counter()
            session.get(url, timeout=10).raise_for_status()
            times.append(time.perf_counter() - started)
    return {"requests": count, "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(sorted(times)[int(count * 0.95)] * 1000, 2)}


NAIVE_URI = [
    {"name": "Log in", "ansible.builtin.uri": {
        "url": "{{ url }}/v3/auth/tokens", "method": "POST", "status_code": 201, "body_format": "json",
        "body": {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": "{{ lookup('env', 'HW_USER_NAME') }}", "password": "{{ lookup('env', 'HW_PASSWORD') }}",
            "domain": {"name": "{{ lookup('env', 'HW_DOMAIN_NAME') }}"}}}},
            "scope": {"project": {"name": "{{ lookup('env', 'HW_REGION_NAME') }}"}}}}},
     "no_log": True, "register": "login"},
    {"name": "List tasks", "ansible.builtin.uri": {
        "url": "{{ url }}/v2/{{ project }}/fdi/instances/%s/tasks?limit=999&offset=0" % INSTANCE,
        "headers": {"X-Auth-Token": "{{ login.x_subject_token }}"}}, "register": "listing"},
    {"name": "Stop each running task", "ansible.builtin.uri": {
        "url": "{{ url }}/v2/{{ project }}/fdi/instances/%s/batch-operation/tasks" % INSTANCE, "method": "POST",
        "body_format": "json", "body": {"action_id": "stop", "list": [{"task_id": "{{ item.task_id }}"}]},
        "headers": {"X-Auth-Token": "{{ login.x_subject_token }}"}},
     "loop": "{{ listing.json.entities | selectattr('status', 'equalto', 1) | list }}",
     "loop_control": {"label": "{{ item.task_name }}"}},
]


def naive_100(workdir, latency_ms):
    scenario = {"roma": {"instances": [{"id": INSTANCE, "generate": {"count": 100, "running_ratio": 1.0}}]}}
    results = {}
    with Bench(workdir, scenario=scenario, latency_ms=latency_ms) as bench:
        env = bench.emulator.env
        ways = {
            "one_module_call": ([roma_task(wait=False)], None),
            "uri_loop": (NAIVE_URI, {"url": env["HWC_EMULATOR_URL"], "project": env["HW_PROJECT_ID"]}),
        }
        bench.reset()
        ways["module_call_per_task"] = ([dict(roma_task(wait=False, task_ids=["{{ item }}"], all_tasks=False),
                                              loop=running(bench))], None)
        for name, (tasks, extra) in ways.items():
            bench.reset()
            assert len(running(bench)) == 100
            seconds = bench.run(tasks, extra)
            log = bench.log()
            time.sleep(1.5)  # the last transitions (1 s) end
            results[name] = dict(split(log), seconds=round(seconds, 2), task_seconds=round(bench.task_seconds, 2),
                                 tasks_left_running=len(running(bench)))
    for way in ("uri_loop", "module_call_per_task"):
        for measure in ("seconds", "task_seconds"):
            results["ratio_%s_%s" % (way, measure)] = round(results[way][measure] /
                                                            results["one_module_call"][measure], 1)
    return results


def noop(workdir, latency_ms, repeat=3):
    scenario = {"roma": {"instances": [{"id": INSTANCE, "generate": {"count": 100, "running_ratio": 0.0}}]}}
    with Bench(workdir, scenario=scenario, latency_ms=latency_ms) as bench:
        env = bench.emulator.env
        get = [{"ansible.builtin.uri": {
            "url": "{{ url }}/v2/{{ project }}/fdi/instances/%s/tasks?limit=999&offset=0" % INSTANCE,
            "headers": {"X-Auth-Token": "{{ token }}"}}}]
        extra = {"url": env["HWC_EMULATOR_URL"], "project": env["HW_PROJECT_ID"], "token": bench.token()}
        module = min(bench.run([roma_task()]) for dummy in range(repeat))
        uri = min(bench.run(get, extra) for dummy in range(repeat))
    return {"module_noop_seconds": round(module, 2), "uri_get_seconds": round(uri, 2),
            "ratio": round(module / uri, 2), "best_of": repeat}


def scale(workdir, latency_ms, size):
    with Bench(workdir, generate="roma=%d" % size, latency_ms=latency_ms, delay=1.0) as bench:
        bench.reset()
        to_stop = len(running(bench))
        seconds = bench.run([roma_task(poll_interval=5, wait_timeout=1800)])
        left = len(running(bench))
        counts = split(bench.log())
    bound = math.ceil(size / 999.0) + math.ceil(to_stop / 10.0)
    return dict(counts, tasks=size, tasks_stopped=to_stop, tasks_left_running=left, seconds=round(seconds, 2),
                seconds_per_1000_tasks=round(seconds / size * 1000, 2), lower_bound=bound,
                ratio_to_lower_bound=round(counts["requests"] / float(bound), 3))


def services(workdir, latency_ms):
    scenario = {"drs": {"generate": {"count": 250, "statuses": {"INCRE_TRANSFER_STARTED": 1}}},
                "vias": {"generate": {"count": 20, "running_ratio": 1.0, "tasks_per_batch": 4}}}
    results = {}
    with Bench(workdir, scenario=scenario, latency_ms=latency_ms, delay=0.5) as bench:
        bench.reset()
        seconds = bench.run([{"hwcloud.taskops.drs_batch_jobs": {"all_jobs": True, "state": "paused",
                                                                 "return_items": "none"}}])
        counts = split(bench.log())
        bound = 2 * math.ceil(250 / 100.0)  # listing pages + batch calls of 100
        results["drs"] = dict(counts, jobs=250, seconds=round(seconds, 2), lower_bound=bound,
                              ratio_to_lower_bound=round(counts["requests"] / float(bound), 3))
        bench.reset()
        names = [b["batch_task_name"] for b in bench.objects("vias")]
        seconds = bench.run([{"hwcloud.taskops.batch_task_action": {"batch_task_names": names, "state": "stopped",
                                                                    "return_items": "none"}}])
        counts = split(bench.log())
        bound = math.ceil(len(names) / 200.0) + len(names)  # one listing page + one call per batch
        results["vias"] = dict(counts, batches=len(names), seconds=round(seconds, 2), lower_bound=bound,
                               ratio_to_lower_bound=round(counts["requests"] / float(bound), 3))
    return results


def throttled(workdir, latency_ms, size, concurrency, rate_limit=20):
    with Bench(workdir, generate="roma=%d" % size, latency_ms=latency_ms) as bench:
        bench.reset(rate_limit=rate_limit)
        to_stop = len(running(bench))
        task = dict(roma_task(wait=False, return_items="failed", max_concurrency=concurrency), ignore_errors=True)
        seconds = bench.run([task])
        log = bench.log()
        time.sleep(3)  # wait: false returns before the last transitions end; count what is left once they have
        left = len(running(bench))
    through = [r for r in log if r["status"] != 429]
    span = max(log[-1]["time"] - log[0]["time"], 1e-6)
    return dict(split(log), tasks=size, max_concurrency=concurrency, rate_limit_rps=rate_limit,
                tasks_to_stop=to_stop, tasks_left_running=left, seconds=round(seconds, 2),
                throttled_share=round(sum(1 for r in log if r["status"] == 429) / float(len(log)), 3),
                throughput_vs_ideal=round(len(through) / float(rate_limit) / span, 3))


def settle(workdir, delay):
    with Bench(workdir, generate="roma=100", delay=delay) as bench:
        bench.reset()
        bench.run([roma_task(poll_interval=5)])
        log = bench.log()
    last_write = max(r["time"] for r in log if r["operation"] in WRITE_OPERATIONS)
    last_poll = max(r["time"] for r in log if r["operation"] == "roma.list_tasks")
    return {"transition_seconds": delay, "noticed_after_seconds": round(last_poll - (last_write + delay), 2),
            "polls": split(log)["polls"]}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency-ms", type=float, default=20.0)
    parser.add_argument("--sizes", default="100,1000,10000,50000")
    parser.add_argument("--only", default="", help="comma-separated scenario names (default: all)")
    parser.add_argument("--output", default=os.path.join(HERE, "results", "latest.json"))
    args = parser.parse_args()
    only = set(n for n in args.only.split(",") if n)
    workdir = tempfile.mkdtemp(prefix="hwc-bench-")
    latency = args.latency_ms
    scenarios = [
        ("roundtrip", lambda: roundtrip(workdir)),
        ("naive_100", lambda: naive_100(workdir, latency)),
        ("noop", lambda: noop(workdir, latency)),
        ("scale", lambda: [scale(workdir, latency, int(n)) for n in args.sizes.split(",")]),
        ("services", lambda: services(workdir, latency)),
        ("throttled", lambda: [throttled(workdir, latency, n, c) for n in (1000, 10000) for c in (4, 16)]),
        ("settle", lambda: [settle(workdir, d) for d in (1.0, 2.5, 5.0, 10.0)]),
    ]
    results = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "latency_ms": latency,
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "platform": platform.platform()}}
    for name, measure in scenarios:
        if not only or name in only:
            started = time.monotonic()
            results[name] = measure()
            print("%s (%.0f s): %s" % (name, time.monotonic() - started, json.dumps(results[name])), flush=True)
    with open(args.output, "w") as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
