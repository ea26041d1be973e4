"""The collection tarball carries the collection (the emulator package included) and none of a working tree's
leftovers: virtualenvs, egg-info and build output of the emulator package, caches, earlier tarballs."""
import os
import re
import subprocess
import tarfile

from conftest import BIN, ROOT

LEFTOVERS = re.compile(r"(^|/)(\.venv[^/]*|\.tmp|\.cache|\.pytest_cache|__pycache__|[^/]+\.egg-info|build|dist)(/|$)"
                       r"|\.pyc$|\.tar\.gz$")
PLANTED = (".venv-2.16.19/bin/python", ".tmp/lines/2.16.19.log", "tests/emulator/hwc_emulator.egg-info/PKG-INFO",
           "tests/emulator/build/lib/hwc_emulator/__init__.py", "tests/emulator/dist/hwc_emulator-1.0.0.whl",
           "plugins/module_utils/__pycache__/engine.cpython-313.pyc", "hwcloud-taskops-0.9.0.tar.gz")


def test_the_tarball_has_the_collection_and_no_leftovers(tmp_path):
    # A copy of the work tree (what git tracks or does not ignore), with the leftovers a build leaves planted in it.
    copy = subprocess.run([os.path.join(ROOT, "tests", "utils", "stage-collection"), str(tmp_path / "stage")],
                          capture_output=True, text=True, check=True).stdout.strip()
    for name in PLANTED:
        os.makedirs(os.path.dirname(os.path.join(copy, name)), exist_ok=True)
        with open(os.path.join(copy, name), "w") as handle:
            handle.write("leftover\n")
    done = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path",
                           str(tmp_path / "dist"), copy], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tarball = next((tmp_path / "dist").glob("hwcloud-taskops-*.tar.gz"))
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
    assert not [n for n in names if LEFTOVERS.search(n)], [n for n in names if LEFTOVERS.search(n)][:10]
    for needed in ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "plugins/modules/roma_fdi_tasks.py",
                   "plugins/action/drs_batch_jobs.py", "roles/maintenance_window/meta/argument_specs.yml",
                   "CHANGELOG.rst", "tests/emulator/pyproject.toml", "tests/emulator/README.md",
                   "tests/emulator/hwc_emulator/testing.py", "tests/emulator/hwc_emulator/conformance/conftest.py"):
        assert needed in names, needed
