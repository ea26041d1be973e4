"""ansible-builder produces the execution environment's build context offline, from the collection's own tarball:
a pinned base image, nothing asked of Galaxy, and Python dependencies declared once (by the collection)."""
import os
import shutil
import subprocess

import yaml

from conftest import BIN, ROOT

DEFINITION = os.path.join(ROOT, "extensions", "awx", "execution-environment.yml")


def test_builder_context_from_the_tarball(tmp_path):
    with open(DEFINITION) as handle:
        definition = yaml.safe_load(handle)
    assert not definition["images"]["base_image"]["name"].endswith(":latest")
    assert "python" not in definition["dependencies"] and "system" not in definition["dependencies"]
    built = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "build", "--output-path",
                            str(tmp_path), ROOT], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    next(tmp_path.glob("hwcloud-taskops-*.tar.gz")).rename(tmp_path / "hwcloud-taskops.tar.gz")
    shutil.copy(DEFINITION, str(tmp_path / "execution-environment.yml"))
    context = tmp_path / "context"
    done = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f",
                           str(tmp_path / "execution-environment.yml"), "--context", str(context)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout
    assert (context / "_build" / "collections" / "hwcloud-taskops.tar.gz").is_file()
    requirements = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert requirements == {"collections": [{"name": "collections/hwcloud-taskops.tar.gz", "type": "file"}]}
    with open(os.path.join(ROOT, "meta", "execution-environment.yml")) as handle:
        declared = yaml.safe_load(handle)["dependencies"]
    assert declared == {"python": "requirements.txt", "system": "bindep.txt"}
