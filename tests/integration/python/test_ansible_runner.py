"""The maintenance window through ansible-runner, laid out as AWX lays out a job, leaking no secret."""
import json
import os
import shutil
import subprocess
import sys
import time

import ansible_runner

from conftest import BIN, ROOT, WINDOW, snapshot
from processes import kill_tree

SECRET_VARIABLES = ("HW_SECRET_KEY", "HW_PASSWORD")


def render_injectors(inputs, credentials_path):
    """Render the collection's AWX injectors the way AWX does (Jinja over the credential's inputs)."""
    import jinja2
    import yaml
    with open(os.path.join(ROOT, "extensions", "awx", "credential_type_injectors.yml")) as handle:
        injectors = yaml.safe_load(handle)
    env = jinja2.Environment(undefined=jinja2.ChainableUndefined)
    context = dict(inputs, tower={"filename": {"credentials": credentials_path}})
    files = dict((name.split(".", 1)[1], env.from_string(text).render(context))
                 for name, text in injectors["file"].items())
    variables = dict((name, env.from_string(text).render(context)) for name, text in injectors["env"].items())
    return files, variables


def awx_job(emu, data_dir, playbook, extravars):
    """A private data directory as AWX lays one out: credential injected, extra vars, a one-line project."""
    (data_dir / "env").mkdir(parents=True)
    (data_dir / "project").mkdir()
    # The credential as AWX injects it: secrets in a file under the private data dir, the rest in env/envvars.
    inputs = {"region": emu.env["HW_REGION_NAME"], "project_id": emu.env["HW_PROJECT_ID"],
              "access_key": emu.env["HW_ACCESS_KEY"], "secret_key": emu.env["HW_SECRET_KEY"],
              "endpoints": emu.env["HW_ENDPOINTS"]}
    credentials_path = str(data_dir / "env" / "tmp-credentials")
    files, envvars = render_injectors(inputs, credentials_path)
    with open(credentials_path, "w") as handle:
        handle.write(files["credentials"])
    os.chmod(credentials_path, 0o600)
    envvars["ANSIBLE_PYTHON_INTERPRETER"] = sys.executable
    (data_dir / "env" / "envvars").write_text(json.dumps(envvars))
    (data_dir / "env" / "extravars").write_text(json.dumps(extravars))
    (data_dir / "project" / "site.yml").write_text(
        "- name: AWX job template\n  ansible.builtin.import_playbook: hwcloud.taskops.%s\n" % playbook)
    return inputs


def without_emulator_secrets():
    """The test's own process must not hand the emulator's secrets down."""
    for name in [k for k in os.environ if k.startswith("HW_")]:
        del os.environ[name]
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]


def test_awx_style_run_succeeds_and_leaks_no_secret(emu, tmp_path):
    data_dir = tmp_path / "runner"
    window = dict(WINDOW, maintenance_window_id="awx-job", maintenance_window_state_dir=str(tmp_path / "state"))
    inputs = awx_job(emu, data_dir, "maintenance_window", window)
    without_emulator_secrets()
    before = snapshot(emu)
    result = ansible_runner.run(private_data_dir=str(data_dir), playbook="site.yml", verbosity=4, quiet=True)
    assert result.status == "successful", result.stdout.read()
    assert snapshot(emu) == before
    stats = [e for e in result.events if e.get("event") == "playbook_on_stats"]
    assert stats and stats[0]["event_data"]["artifact_data"]["hwcloud_maintenance"]["status"] == "finished"
    secrets = [emu.env[name] for name in SECRET_VARIABLES] + [inputs["secret_key"]]
    artifacts = data_dir / "artifacts"
    checked = 0
    for path in artifacts.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            checked += 1
            for secret in secrets:
                assert secret not in text, "secret found in %s" % path
    assert checked > 10


def test_a_killed_enter_job_is_brought_back_by_an_exit_job_with_only_the_durable_store(emu, tmp_path):
    """AWX: the enter job's pod dies (SIGKILL, its private data dir gone, no set_stats published); the exit job
    runs in a new private data dir and finds the record on the persistent volume mounted at the state dir."""
    durable = tmp_path / "persistent-volume"
    window = dict(WINDOW, maintenance_window_id="awx-killed", maintenance_window_state_dir=str(durable))
    enter_dir = tmp_path / "job-1"
    awx_job(emu, enter_dir, "maintenance_enter", window)
    without_emulator_secrets()
    before = snapshot(emu)
    emu.admin("PUT", "faults", {"faults": [{"type": "hang", "service": "roma", "operation": "batch_operation",
                                            "when": "after", "ms": 15000, "count": 1}]})
    process = subprocess.Popen([os.path.join(BIN, "ansible-runner"), "run", str(enter_dir), "-p", "site.yml"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and process.poll() is None and not any(
            r["operation"] == "roma.batch_operation" for r in emu.admin("GET", "inflight")["requests"]):
        time.sleep(0.05)
    kill_tree(process)
    emu.admin("PUT", "faults", {"faults": []})
    assert snapshot(emu) != before, "the enter job was killed before it changed anything"
    shutil.rmtree(str(enter_dir))
    exit_dir = tmp_path / "job-2"
    awx_job(emu, exit_dir, "maintenance_exit", window)
    result = ansible_runner.run(private_data_dir=str(exit_dir), playbook="site.yml", quiet=True)
    assert result.status == "successful", result.stdout.read()
    assert snapshot(emu) == before
    with open(str(durable / "localhost" / "awx-killed.json")) as handle:
        assert json.load(handle)["status"] == "finished"
