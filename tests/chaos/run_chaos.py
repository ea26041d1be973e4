"""make chaos: maintenance windows against a hostile emulator, with real ansible-playbook.

    .venv/bin/python tests/chaos/run_chaos.py [--windows N] [--kills N] [--argsets N] [--seed S] [--parallel N]
                                              [--skip malformed,argsets,secrets]

* fault-injected windows: about 20 % of calls answered 502/503, 10 % throttled (429 with Retry-After),
  1 % connection resets before and 1 % after the call took effect, reads 1.5 s stale, and (in the
  password-auth windows) tokens that expire. Every window must finish on its first run with every object
  back in its pre-window state.
* SIGKILL at a random moment of enter (under the same faults), then the exit runbook (rerun until it
  passes, at most 3 times): every object must be back.

* malformed answers through a mangling proxy (tests/chaos/malformed.py): no exception, no hang, no change
  hidden or invented.
* generated argument sets per module through ansible-playbook (tests/chaos/argsets.py): no exception.
* a secrets scan of every output, record, report, log and runner artifact at -vvvv, for every auth mode
  (tests/chaos/secrets_scan.py): no hit.

With --parallel N, N workers run side by side, each against an emulator of its own (a window spends most of
its time waiting out backoffs, so a few run well side by side on two cores). Prints the figures at the end;
exits non-zero on any window or kill that did not hold. CI runs small counts;
docs/reliability.md records a full run.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

sys.path.insert(0, HERE)

# pylint: disable=wrong-import-position
from hwc_emulator.testing import EmulatorProcess  # noqa: E402
from processes import kill_tree  # noqa: E402
from argsets import run_argsets  # noqa: E402
from malformed import run_malformed  # noqa: E402
from secrets_scan import run_secrets_scan  # noqa: E402

BIN = os.path.dirname(sys.executable)
SCENARIO = os.path.join(ROOT, "tests", "integration", "scenario.yml")
WINDOW = {
    "maintenance_window_poll_interval": 0.5,
    "maintenance_window_wait_timeout": 180,
    # Transitions take 0.2 s and reads are 1.5 s stale: a write left in flight by a kill shows within 3 s.
    "maintenance_window_recheck_delay": 3,
    "maintenance_window_roma": [{"instance_id": "inst-it", "task_names": ["orders-sync", "orders-audit", "stock-feed"]},
                                {"instance_id": "inst-bulk", "all_tasks": True}],
    "maintenance_window_drs": {"job_names": ["orders-replica", "billing-replica", "archive-replica", "new-replica"]},
    "maintenance_window_vias": {"batch_task_names": ["gate-cams", "yard-cams", "moving-cams", "mixed-cams"]},
}


def fault_mix(seed, token_expiry):
    faults = [{"type": "error", "status": 502, "rate": 0.12}, {"type": "error", "status": 503, "rate": 0.1},
              {"type": "reset", "when": "before", "rate": 0.01}, {"type": "reset", "when": "after", "rate": 0.01},
              {"type": "stale_reads", "lag_ms": 1500}]
    if token_expiry:
        faults.append({"type": "token_expiry", "rate": 0.03})
    return {"faults": faults, "seed": seed}


def states(emulator):
    objects = emulator.admin("GET", "objects")
    return {"roma": dict((t["task_id"], t["status"]) for tasks in objects["roma"].values() for t in tasks),
            "drs": dict((j["id"], j["status"]) for j in objects["drs"]),
            "vias": dict((c["id"], c["state"]) for b in objects["vias"] for c in b["tasks"])}


class Chaos:
    def __init__(self, emulator, workdir, seed):
        self.emulator = emulator
        self.workdir = workdir
        self.rng = random.Random(seed)
        self.seed = seed
        self.requests = self.failed = 0

    def env(self, password):
        env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **self.emulator.env)
        if password:  # token auth: token expiry faults apply
            for key in ("HW_ACCESS_KEY", "HW_SECRET_KEY"):
                env.pop(key, None)
        return env

    def vars_file(self, window_id):
        path = os.path.join(self.workdir, window_id + ".json")
        with open(path, "w") as handle:
            json.dump(dict(WINDOW, maintenance_window_id=window_id,
                           maintenance_window_state_dir=os.path.join(self.workdir, "state")), handle)
        return path

    def command(self, playbook, vars_file):
        return [os.path.join(BIN, "ansible-playbook"), "hwcloud.taskops.%s" % playbook, "-e", "@" + vars_file]

    def count(self):
        """Add up the emulator's counters (a reset clears them) into this worker's totals."""
        counts = self.emulator.admin("GET", "stats")
        self.requests += counts["total"]
        self.failed += sum(v for op in counts["by_operation"].values() for k, v in op.items()
                           if k not in ("200", "201", "202"))

    def reset(self, number, password):
        self.count()
        self.emulator.admin("POST", "reset", {})
        self.emulator.admin("PUT", "delays", {"roma": 0.2, "drs": 0.2, "vias": 0.2})
        self.emulator.admin("PUT", "rate-limit", {"rps": 40})  # with 2 workers this throttles about 10 % of calls
        before = states(self.emulator)
        self.emulator.admin("PUT", "faults", fault_mix(self.seed * 1000 + number, password))
        return before

    def window(self, number):
        password = number % 2 == 1
        before = self.reset(number, password)
        vars_file = self.vars_file("chaos-window-%d" % number)
        done = subprocess.run(self.command("maintenance_window", vars_file) + ["-v"], env=self.env(password), cwd=ROOT,
                              capture_output=True, text=True, timeout=1800, check=False)
        self.emulator.admin("PUT", "faults", {"faults": []})
        restored = states(self.emulator) == before
        log = os.path.join(self.workdir, "window-%d.log" % number)
        with open(log, "w") as handle:
            handle.write(done.stdout + done.stderr)
        if done.returncode or not restored:  # the emulator's request log (paths and statuses), to find out why
            with open(os.path.join(self.workdir, "window-%d.requests.json" % number), "w") as handle:
                json.dump(self.emulator.admin("GET", "requests"), handle)
        return {"first_run": done.returncode == 0, "restored": restored, "log": log,
                "traceback": "Traceback" in done.stdout + done.stderr}

    def kill(self, number):
        password = number % 2 == 0
        before = self.reset(10000 + number, password)
        vars_file = self.vars_file("chaos-kill-%d" % number)
        process = subprocess.Popen(self.command("maintenance_enter", vars_file), env=self.env(password), cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(self.rng.uniform(1.0, 12.0))
        kill_tree(process)
        runs = 0
        for runs in range(1, 4):
            done = subprocess.run(self.command("maintenance_exit", vars_file), env=self.env(password), cwd=ROOT,
                                  capture_output=True, text=True, timeout=1800, check=False)
            nothing_recorded = "no maintenance record" in done.stdout
            if done.returncode == 0 or nothing_recorded:
                break
        self.emulator.admin("PUT", "faults", {"faults": []})
        return {"restored": states(self.emulator) == before, "exit_runs": runs}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--windows", type=int, default=2)
    parser.add_argument("--kills", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--parallel", type=int, default=1)
    parser.add_argument("--argsets", type=int, default=20, help="generated argument sets per module")
    parser.add_argument("--skip", default="", help="comma-separated: malformed, argsets, secrets")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    workdir = tempfile.mkdtemp(prefix="hwc-chaos-")
    started = time.monotonic()
    jobs = [("window", n) for n in range(args.windows)] + [("kill", n) for n in range(args.kills)]
    results = {"window": {}, "kill": {}}
    stats = {"total": 0, "failed": 0}
    lock = threading.Lock()

    def worker(share):
        with EmulatorProcess(scenario=SCENARIO) as emulator:
            chaos = Chaos(emulator, workdir, args.seed)
            for kind, number in share:
                try:
                    result = getattr(chaos, kind)(number)
                except Exception as exc:  # pylint: disable=broad-except  # a harness failure counts against the run
                    result = {"restored": False, "first_run": False, "traceback": True, "exit_runs": 0,
                              "log": "%s %d: %r" % (kind, number, exc)}
                with lock:
                    results[kind][number] = result
            chaos.count()
        with lock:
            stats["total"] += chaos.requests
            stats["failed"] += chaos.failed

    threads = [threading.Thread(target=worker, args=(jobs[i::args.parallel],)) for i in range(args.parallel)
               if jobs[i::args.parallel]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    windows = [results["window"][n] for n in sorted(results["window"])]
    kills = [results["kill"][n] for n in sorted(results["kill"])]
    figures = {
        "windows": len(windows), "windows_restored": sum(w["restored"] for w in windows),
        "windows_first_run": sum(w["first_run"] for w in windows),
        "tracebacks": sum(w["traceback"] for w in windows),
        "kills": len(kills), "kills_restored": sum(k["restored"] for k in kills),
        "exit_runs_after_kills": [k["exit_runs"] for k in kills],
        "requests": stats["total"], "faulted_or_throttled_answers": stats["failed"],
    }
    bad = [w["log"] for w in windows if not (w["first_run"] and w["restored"]) or w["traceback"]]
    bad += ["kill %d" % n for n, k in enumerate(kills) if not k["restored"]]
    with open(os.path.join(workdir, "figures-windows-kills.json"), "w") as handle:
        json.dump(figures, handle)  # kept should a later part fail
    try:
        bad += other_phases(args, skip, workdir, figures)
    except Exception as exc:  # pylint: disable=broad-except  # a harness failure fails the run, with its figures
        bad.append("the harness failed: %r" % exc)
    figures.update(seconds=round(time.monotonic() - started, 1), workdir=workdir)
    print(json.dumps(figures, indent=2))
    print("chaos: %d of %d windows finished on the first run and restored; %d of %d kills restored; %s%s" % (
        figures["windows_first_run"], figures["windows"], figures["kills_restored"], figures["kills"],
        summary(figures), "" if not bad else "\nchaos: FAILED: %s" % "; ".join(bad)))
    return 1 if bad else 0


def other_phases(args, skip, workdir, figures):
    """Malformed answers, generated arguments and the secrets scan, on an emulator of their own."""
    bad = []
    with EmulatorProcess(scenario=SCENARIO) as emulator:
        if "malformed" not in skip:
            cases = run_malformed(emulator, workdir)
            figures["malformed_cases"] = len(cases)
            figures["malformed_clean"] = sum(not c["problems"] for c in cases)
            figures["malformed_changes_checked"] = sum(c["changed"] for c in cases)
            figures["malformed_slowest_seconds"] = max(c["seconds"] for c in cases)
            bad += ["malformed %s: %s" % (c["case"], ", ".join(c["problems"])) for c in cases if c["problems"]]
        if "argsets" not in skip:
            argsets = run_argsets(emulator, workdir, args.argsets, seed=args.seed)
            figures["argsets"] = argsets
            bad += ["argsets %s: %d exceptions, e.g. %s" % (module, f["exception_count"], f["exceptions"][:3])
                    for module, f in sorted(argsets.items()) if f["exception_count"]]
        if "secrets" not in skip:
            scan = run_secrets_scan(emulator, workdir, WINDOW)
            figures["secrets"] = scan
            bad += ["secrets %s: %s" % (mode, f["hits"]) for mode, f in sorted(scan.items()) if f["hit_count"]]
            bad += ["secrets %s: the window did not succeed (%s)" % (mode, f["window"])
                    for mode, f in sorted(scan.items()) if f["window"] != "successful"]
    return bad


def summary(figures):
    parts = []
    if "malformed_cases" in figures:
        parts.append("%d of %d malformed-answer cases clean" % (figures["malformed_clean"], figures["malformed_cases"]))
    if "argsets" in figures:
        total = sum(f["sets"] for f in figures["argsets"].values())
        parts.append("%d argument sets, %d exceptions" % (
            total, sum(f["exception_count"] for f in figures["argsets"].values())))
    if "secrets" in figures:
        parts.append("%d secret hits in %d files over %d auth modes" % (
            sum(f["hit_count"] for f in figures["secrets"].values()),
            sum(f["files_scanned"] for f in figures["secrets"].values()), len(figures["secrets"])))
    return "; ".join(parts)


if __name__ == "__main__":
    sys.exit(main())
