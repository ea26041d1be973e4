"""The collection tarball carries the collection and none of a working tree's leftovers (virtualenvs, egg-info of
the editable emulator install, caches, build output)."""
import os
import re
import subprocess
import tarfile

from conftest import BIN, ROOT

LEFTOVERS = re.compile(r"(^|/)(\.venv[^/]*|\.tmp|\.cache|\.pytest_cache|__pycache__|[^/]+\.egg-info|build|dist)(/|$)"
                       r"|\.pyc$|\.tar\.gz$")


def test_the_tarball_has_the_collection_and_no_leftovers(tmp_path):
    assert [n for n in os.listdir(os.path.join(ROOT, "tests", "emulator")) if n.endswith(".egg-info")], \
        "the editable emulator install should have left an egg-info to check against"
    done = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path",
                           str(tmp_path), ROOT], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    tarball = next(tmp_path.glob("hwcloud-taskops-*.tar.gz"))
    with tarfile.open(str(tarball)) as archive:
        names = archive.getnames()
    assert not [n for n in names if LEFTOVERS.search(n)], [n for n in names if LEFTOVERS.search(n)][:10]
    for needed in ("MANIFEST.json", "FILES.json", "meta/runtime.yml", "plugins/modules/roma_fdi_tasks.py",
                   "plugins/action/drs_batch_jobs.py", "roles/maintenance_window/meta/argument_specs.yml",
                   "tests/emulator/pyproject.toml", "tests/emulator/hwc_emulator/drs_v5.py"):
        assert needed in names, needed
