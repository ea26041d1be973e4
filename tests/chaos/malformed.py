"""Malformed answers: the three action modules through a mangling proxy, with real ansible-playbook.

For every mangling (see mangle_proxy.MANGLERS) and every target (answers to writes, to reads, or a seeded half
of all answers), one playbook stops ROMA tasks, pauses DRS jobs and stops VIAS child tasks. Each case must hold:

* no traceback: a failure is a clean ``msg`` naming the service and operation;
* no hang: the run ends within its deadline (the modules' timeouts and waits, plus a margin);
* no hidden change: every object the emulator shows changed is in ``changed_ids``, or reported with an
  unknown outcome;
* no invented change: every id in ``changed_ids`` really changed.
"""
import json
import os
import subprocess
import sys
import time

from processes import BIN
from mangle_proxy import MANGLERS, MangleProxy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

TARGETS = ("writes", "reads", "half")
TIMEOUT = 2
RETRIES = 1
WAIT_TIMEOUT = 40
# The slowest clean case takes about 30 s; a slow answer that a deadline did not cut takes minutes.
DEADLINE = 120

PLAYBOOK = """
- name: Act through a mangling proxy
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/hwcloud.taskops.hwcloud: {timeout: %(timeout)d, retries: %(retries)d}
  tasks:
    - name: Stop ROMA tasks
      hwcloud.taskops.roma_fdi_tasks:
        instance_id: inst-it
        task_names: [orders-sync, orders-audit, stock-feed]
        state: stopped
        wait_timeout: %(wait)d
        poll_interval: 0.5
      register: roma
      ignore_errors: true
    - name: Pause DRS jobs
      hwcloud.taskops.drs_batch_jobs:
        job_names: [orders-replica, billing-replica, new-replica]
        state: paused
        wait_timeout: %(wait)d
        poll_interval: 0.5
      register: drs
      ignore_errors: true
    - name: Stop VIAS child tasks
      hwcloud.taskops.batch_task_action:
        batch_task_names: [gate-cams, mixed-cams]
        children: true
        state: stopped
        wait_timeout: %(wait)d
        poll_interval: 0.5
      register: vias
      ignore_errors: true
    - name: Keep the results
      ansible.builtin.copy:
        content: "{{ {'roma': roma, 'drs': drs, 'vias': vias} | to_json }}"
        dest: "{{ results_file }}"
        mode: "0600"
"""


def states(emulator):
    objects = emulator.admin("GET", "objects")
    found = {}
    for tasks in objects["roma"].values():
        found.update((t["task_id"], t["status"]) for t in tasks)
    found.update((j["id"], j["status"]) for j in objects["drs"])
    found.update((c["id"], c["state"]) for b in objects["vias"] for c in b["tasks"])
    return found


def _unknown(item):
    return item.get("result") == "failed" and "unknown" in (item.get("error_message") or "").lower()


def _objects(result):
    """Every object a result reports on: VIAS batches acted on child by child report their children."""
    for key in ("tasks", "jobs", "batch_tasks"):
        for item in result.get(key) or []:
            yield from item.get("children") or [item]


def judge(results, before, after, output):
    """The problems of one case, in words (empty when it held)."""
    problems = []
    if "Traceback" in output or "MODULE FAILURE" in output:
        problems.append("a traceback or module failure")
    really = set(key for key in after if after[key] != before.get(key))
    reported, unknown = set(), set()
    for service, result in results.items():
        # ansible-core fills 'exception' with a placeholder on every clean failure; a real one has a traceback.
        if "Traceback" in str(result.get("exception", "")) or result.get("module_stderr"):
            problems.append("%s: an exception" % service)
        if result.get("failed") and not result.get("msg"):
            problems.append("%s: failed without a message" % service)
        changed = set(result.get("changed_ids") or [])
        for item in result.get("tasks") or result.get("jobs") or result.get("batch_tasks") or []:
            if item["id"] in changed and item.get("children"):
                changed.discard(item["id"])
                changed.update(c["id"] for c in item["children"] if c.get("result") == "changed")
        reported.update(changed)
        unknown.update(item["id"] for item in _objects(result) if _unknown(item))
    hidden = really - reported - unknown
    invented = reported - really
    if hidden:
        problems.append("hidden changes: %s" % sorted(hidden))
    if invented:
        problems.append("invented changes: %s" % sorted(invented))
    return problems, len(really)


def run_case(emulator, proxy, workdir, mode, target):
    emulator.admin("POST", "reset", {})
    emulator.admin("PUT", "delays", {"roma": 0.2, "drs": 0.2, "vias": 0.2})
    before = states(emulator)
    proxy.mode, proxy.target = mode, target
    name = "%s-%s" % (mode, target)
    playbook = os.path.join(workdir, "malformed.yml")
    results_file = os.path.join(workdir, name + ".json")
    with open(playbook, "w") as handle:
        handle.write(PLAYBOOK % {"timeout": TIMEOUT, "retries": RETRIES, "wait": WAIT_TIMEOUT})
    endpoints = dict(json.loads(emulator.env["HW_ENDPOINTS"]), roma=proxy.url, drs=proxy.url, vias=proxy.url)
    env = dict(os.environ, ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1", **emulator.env)
    env["HW_ENDPOINTS"] = json.dumps(endpoints)
    started = time.monotonic()
    try:
        done = subprocess.run([os.path.join(BIN, "ansible-playbook"), playbook, "-e", "results_file=" + results_file],
                              env=env, cwd=ROOT, capture_output=True, text=True, timeout=DEADLINE, check=False)
        output = done.stdout + done.stderr
    except subprocess.TimeoutExpired as exc:
        output = "HUNG: %s" % exc
    seconds = time.monotonic() - started
    proxy.mode = None
    time.sleep(1.0)  # let transitions the writes started finish before comparing
    after = states(emulator)
    with open(os.path.join(workdir, name + ".log"), "w") as handle:
        handle.write(output)
    if not os.path.exists(results_file):
        return {"case": name, "problems": ["no results (the run ended early or hung)"], "seconds": seconds,
                "changed": 0}
    with open(results_file) as handle:
        results = json.load(handle)
    problems, changed = judge(results, before, after, output)
    if seconds > DEADLINE:
        problems.append("took %.0f s, past the %d s deadline" % (seconds, DEADLINE))
    return {"case": name, "problems": problems, "seconds": round(seconds, 1), "changed": changed}


def run_malformed(emulator, workdir, modes=None):
    proxy = MangleProxy(json.loads(emulator.env["HW_ENDPOINTS"])["roma"])
    try:
        return [run_case(emulator, proxy, workdir, mode, target)
                for mode in (modes or sorted(MANGLERS)) for target in TARGETS]
    finally:
        proxy.close()
