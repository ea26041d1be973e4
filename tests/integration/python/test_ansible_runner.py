"""The maintenance window through ansible-runner, laid out as AWX lays out a job, leaking no secret."""
import json
import os
import sys

import ansible_runner

from conftest import BIN, ROOT, WINDOW, snapshot

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


def test_awx_style_run_succeeds_and_leaks_no_secret(emu, tmp_path):
    data_dir = tmp_path / "runner"
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
    window = dict(WINDOW, maintenance_window_id="awx-job", maintenance_window_state_dir=str(tmp_path / "state"))
    (data_dir / "env" / "extravars").write_text(json.dumps(window))
    (data_dir / "project" / "site.yml").write_text(
        "- name: AWX job template\n  ansible.builtin.import_playbook: hwcloud.taskops.maintenance_window\n")
    # The test's own process must not hand the emulator's secrets down either.
    for name in [k for k in os.environ if k.startswith("HW_")]:
        del os.environ[name]
    before = snapshot(emu)
    os.environ["PATH"] = BIN + os.pathsep + os.environ["PATH"]
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
