"""Generated argument sets, through ansible-playbook: bad input ends in a clean ``msg``, never an exception.

Each module gets ``count`` argument sets. Most start from a valid call against the emulator and spoil one to
four options, with a value of the right type or a hostile one (NaN, infinity, 2**63, non-ASCII, NUL, huge
strings and lists, wrong types, broken URLs, missing files). Every set is one task of one playbook per module;
a test-only callback records every result.
"""
import json
import os
import random
import subprocess
import sys

import yaml

from processes import BIN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CALLBACKS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "callback_plugins")

BASELINES = {
    "roma_fdi_tasks": {"instance_id": "inst-it", "task_names": ["orders-sync"], "state": "stopped",
                       "wait_timeout": 20},
    "roma_fdi_tasks_info": {"instance_id": "inst-it"},
    "drs_batch_jobs": {"job_names": ["orders-replica"], "state": "paused", "wait_timeout": 20},
    "drs_batch_jobs_info": {},
    "batch_task_action": {"batch_task_names": ["gate-cams"], "state": "stopped", "wait_timeout": 20},
    "batch_task_info": {},
}

HOSTILE = [None, "", " ", "nan", "NaN", "inf", "-Infinity", "1e309", float("nan"), float("inf"), float("-inf"),
           2 ** 63, -2 ** 63 - 1, -1, 0, 0.0001, 1.5, True, False, "yes", "ünïcødé-名前", "\u202e\u0000tab\t",
           "x" * 5000, ["a", None, 1], {"k": "v"}, [], {}, ["x"] * 2000, "http://[::1", "http://127.0.0.1:99999",
           "ftp://example.invalid", "/nonexistent/ca.pem", "a,b,c", "-", "../../etc/passwd", "0" * 64]

TYPED = {
    "str": lambda rng: rng.choice(["cn-north-4", "inst-it", "orders-sync", "ü", "a" * 300, "stopped", "running"]),
    "int": lambda rng: rng.choice([0, 1, 5, 10, 100, 86400 * 8, -5, 10 ** 12]),
    "float": lambda rng: rng.choice([0.0, 0.1, 1.0, 30.0, 3601.0, -0.5, 1e-9]),
    "bool": lambda rng: rng.choice([True, False, "maybe"]),
    "path": lambda rng: rng.choice(["/etc/hostname", "/nonexistent", "", "/"]),
    "list": lambda rng: rng.choice([[], ["orders-sync"], ["it-rt-run-1", "it-rt-run-2"], [{"id": "x"}], ["ü"]]),
    "dict": lambda rng: rng.choice([{}, {"status": "running"}, {"roma": "http://127.0.0.1:1"}, {"x": [1]}]),
}


def options(module):
    doc = subprocess.run([os.path.join(BIN, "ansible-doc"), "-j", "hwcloud.taskops.%s" % module],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(doc)["hwcloud.taskops.%s" % module]["doc"]["options"]


def generate(module, count, rng):
    spec = options(module)
    names = sorted(spec)
    sets = []
    for dummy in range(count):
        args = dict(BASELINES[module]) if rng.random() < 0.8 else {}
        for name in rng.sample(names, rng.randint(1, 4)):
            typed = TYPED.get(spec[name].get("type"))
            args[name] = typed(rng) if typed and rng.random() < 0.5 else rng.choice(HOSTILE)
        sets.append(args)
    return sets


def playbook(module, sets):
    tasks = [{"name": "set %d" % number, "hwcloud.taskops.%s" % module: args, "ignore_errors": True, "timeout": 90}
             for number, args in enumerate(sets)]
    return [{"name": "Generated arguments for %s" % module, "hosts": "localhost", "gather_facts": False,
             "tasks": tasks}]


def exception_in(line):
    result = line["result"]
    text = " ".join(str(result.get(key, "")) for key in ("exception", "module_stderr", "module_stdout", "msg"))
    if "Traceback" in text or "MODULE FAILURE" in text or text.strip().startswith("Module failed"):
        return True
    return line["status"] == "failed" and not result.get("msg")


def run_argsets(emulator, workdir, count, seed=3):
    figures = {}
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
               ANSIBLE_CALLBACK_PLUGINS=CALLBACKS, ANSIBLE_CALLBACKS_ENABLED="record_results", **emulator.env)
    for module in sorted(BASELINES):
        rng = random.Random("%s-%s" % (seed, module))
        path = os.path.join(workdir, "argsets-%s.yml" % module)
        with open(path, "w") as handle:
            yaml.safe_dump(playbook(module, generate(module, count, rng)), handle, allow_unicode=True, width=1000)
        results_file = os.path.join(workdir, "argsets-%s.jsonl" % module)
        env["HWC_RESULTS_FILE"] = results_file
        done = subprocess.run([os.path.join(BIN, "ansible-playbook"), path], env=env, cwd=ROOT,
                              capture_output=True, text=True, check=False, timeout=count * 100 + 300)
        with open(os.path.join(workdir, "argsets-%s.log" % module), "w") as handle:
            handle.write(done.stdout + done.stderr)
        lines = []
        if os.path.exists(results_file):
            with open(results_file) as handle:
                lines = [line for line in map(json.loads, handle) if "result" in line]  # not the stats line
        bad = [line["task"] for line in lines if exception_in(line)]
        figures[module] = {"sets": count, "results": len(lines), "clean_failures": sum(
            line["status"] == "failed" for line in lines) - len(bad), "ok": sum(line["status"] == "ok" for line in lines),
            "exceptions": bad[:10], "exception_count": len(bad) + (count - len(lines))}
    return figures
