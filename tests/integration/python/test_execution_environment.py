"""ansible-builder produces the execution environment's build context offline from the example definition."""
import os
import subprocess

from conftest import BIN, ROOT


def test_builder_context(tmp_path):
    context = tmp_path / "context"
    definition = os.path.join(ROOT, "extensions", "awx", "execution-environment.yml")
    done = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", definition, "--context",
                           str(context)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stdout
    containerfile = (context / "Dockerfile") if (context / "Dockerfile").exists() else (context / "Containerfile")
    assert "ansible-galaxy" in containerfile.read_text()
    assert "hwcloud.taskops" in (context / "_build" / "requirements.yml").read_text()
    python_requirements = (context / "_build" / "requirements.txt").read_text()
    assert "requests" in python_requirements and "jsonschema" in python_requirements
