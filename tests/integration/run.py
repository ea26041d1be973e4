"""Run the integration targets with real ansible-playbook against a fresh bundled emulator.

Each target is tests/integration/targets/<name>/ laid out as an ansible-test target
(tasks/main.yml, aliases). For every target the runner resets the emulator to the
integration scenario, then runs the target as a role on localhost with the emulator's
HW_* variables in the environment. Usage: run.py [--targets a,b] [--keep-going]
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TARGETS = os.path.join(HERE, "targets")
BIN = os.path.dirname(sys.executable)


def discover(selected):
    names = sorted(n for n in os.listdir(TARGETS) if os.path.isfile(os.path.join(TARGETS, n, "tasks", "main.yml")))
    if selected:
        unknown = set(selected) - set(names)
        if unknown:
            sys.exit("unknown integration target(s): %s" % ", ".join(sorted(unknown)))
        names = [n for n in names if n in selected]
    return names


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--targets", default="", help="comma-separated target names (default: all)")
    parser.add_argument("--keep-going", action="store_true")
    args = parser.parse_args()
    names = discover([t for t in args.targets.split(",") if t]) if os.path.isdir(TARGETS) else []
    if not names:
        print("integration: 0 passed, 0 failed (no targets yet)")
        return 0
    from hwc_emulator.testing import EmulatorProcess  # pylint: disable=import-outside-toplevel

    results = {}
    with EmulatorProcess(scenario=os.path.join(HERE, "scenario.yml")) as emulator:
        for name in names:
            emulator.admin.reset()
            started = time.monotonic()
            env = dict(os.environ, **emulator.env)
            env.update(ANSIBLE_ROLES_PATH=TARGETS, ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
                       ANSIBLE_PYTHON_INTERPRETER=sys.executable, HWC_EMULATOR_ADMIN=emulator.admin.url)
            playbook = os.path.join(emulator.workdir, "%s.yml" % name)
            with open(playbook, "w") as handle:
                handle.write("- hosts: localhost\n  connection: local\n  gather_facts: false\n"
                             "  roles:\n    - %s\n" % name)
            code = subprocess.call([os.path.join(BIN, "ansible-playbook"), playbook], env=env, cwd=ROOT)
            results[name] = code == 0
            print("integration target %s: %s (%.1fs)" % (name, "passed" if code == 0 else "FAILED",
                                                         time.monotonic() - started), flush=True)
            if code and not args.keep_going:
                break
    passed = sum(1 for ok in results.values() if ok)
    failed = len(results) - passed
    print("integration: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 and len(results) == len(names) else 1


if __name__ == "__main__":
    sys.exit(main())
