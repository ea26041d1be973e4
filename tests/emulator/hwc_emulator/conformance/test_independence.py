"""The emulator stands in for the real service, built from the reference and the SDK: it never imports the
collection whose client it checks (nor Ansible)."""
import ast
import os
import subprocess
import sys

import hwc_emulator

PACKAGE = os.path.dirname(os.path.abspath(hwc_emulator.__file__))


def imported_modules(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_no_module_of_the_emulator_imports_the_collection_or_ansible():
    offending = []
    for folder, dummy, files in os.walk(PACKAGE):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                offending.extend("%s: %s" % (os.path.relpath(path, PACKAGE), module)
                                 for module in imported_modules(path)
                                 if module.split(".")[0] in ("ansible_collections", "ansible"))
    assert not offending


def test_it_starts_where_the_collection_cannot_be_imported():
    code = ("import sys; sys.modules['ansible_collections'] = None; sys.modules['ansible'] = None\n"
            "import hwc_emulator.server, hwc_emulator.cli, hwc_emulator.drs_v5, hwc_emulator.drs_delay\n"
            "print('ok')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
