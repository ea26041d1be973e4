"""A secrets scan of everything a run leaves behind, for every auth mode, at -vvvv.

Per auth mode (AK/SK, temporary AK/SK with a security token, IAM password, pre-issued token):

* a playbook at -vvvv passes the credentials as module options and calls every module: info, check mode with
  diff, a real change, and a call the service refuses;
* the maintenance window runs through ansible-runner at verbosity 4, the credentials in a credentials file as
  AWX's injector writes it.

Then every output, result, log file (ANSIBLE_LOG_PATH), window record, report and ansible-runner artifact is
searched for each secret: raw, base64 (at each of the three alignments) and URL-encoded. The credentials file
itself and the playbook, which hold them by design, are the only files not searched. A canary check first proves
that the scan finds a secret in each of its forms.
"""
import base64
import json
import os
import subprocess
import sys
import urllib.parse
import urllib.request

import yaml

from processes import BIN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODES = ("aksk", "temporary_aksk", "password", "token")

MODULE_CALLS = [
    ("roma_fdi_tasks_info", {"instance_id": "inst-it"}, {}),
    ("drs_batch_jobs_info", {}, {}),
    ("batch_task_info", {}, {}),
    ("roma_fdi_tasks", {"instance_id": "inst-it", "task_names": ["orders-sync"], "state": "stopped"},
     {"check_mode": True, "diff": True}),
    ("roma_fdi_tasks", {"instance_id": "inst-it", "task_names": ["orders-sync"], "state": "stopped"}, {}),
    ("drs_batch_jobs", {"job_names": ["orders-replica"], "state": "paused"}, {}),
    ("batch_task_action", {"batch_task_names": ["gate-cams"], "state": "stopped", "children": True}, {}),
    ("roma_fdi_tasks", {"instance_id": "no-such-instance", "task_names": ["x"], "state": "stopped"}, {}),
]


def issue_token(emulator):
    env = emulator.env
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": env["HW_USER_NAME"], "password": env["HW_PASSWORD"], "domain": {"name": env["HW_DOMAIN_NAME"]}}}},
        "scope": {"project": {"name": env["HW_REGION_NAME"]}}}}
    request = urllib.request.Request(env["HWC_EMULATOR_URL"] + "/v3/auth/tokens", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:  # nosec - the local emulator
        return answer.headers["X-Subject-Token"]


def credentials(emulator, mode):
    env = emulator.env
    if mode == "aksk":
        return {"auth_type": "aksk", "access_key": env["HW_ACCESS_KEY"], "secret_key": env["HW_SECRET_KEY"]}
    if mode == "temporary_aksk":
        return {"auth_type": "aksk", "access_key": env["HWC_EMULATOR_TEMP_ACCESS_KEY"],
                "secret_key": env["HWC_EMULATOR_TEMP_SECRET_KEY"],
                "security_token": env["HWC_EMULATOR_TEMP_SECURITY_TOKEN"]}
    if mode == "password":
        return {"auth_type": "password", "user_name": env["HW_USER_NAME"], "password": env["HW_PASSWORD"],
                "domain_name": env["HW_DOMAIN_NAME"]}
    return {"auth_type": "token", "auth_token": issue_token(emulator)}


def secrets_of(creds):
    secret_keys = ("secret_key", "security_token", "password", "auth_token")
    return [value for key, value in creds.items() if key in secret_keys]


def encodings(secret):
    """The secret as it could appear: raw, URL-encoded, and base64 at each alignment (edges trimmed)."""
    data = secret.encode()
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data).decode()
        start = (shift * 4 + 2) // 3 + 1
        forms.add(encoded[start:-4] if len(encoded) > start + 12 else encoded)
    return [form for form in forms if len(form) >= 8]


def clean_env(emulator):
    """The emulator's endpoints and project, but no credential: each run brings its own."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("HW_", "HUAWEICLOUD_")))
    env.update(ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR="1",
               HW_ENDPOINTS=emulator.env["HW_ENDPOINTS"], HW_REGION_NAME=emulator.env["HW_REGION_NAME"],
               HW_PROJECT_ID=emulator.env["HW_PROJECT_ID"])
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    return env


def module_playbook(creds):
    tasks = []
    for number, (module, args, keywords) in enumerate(MODULE_CALLS):
        task = {"name": "call %d" % number, "hwcloud.taskops.%s" % module: dict(args, **creds),
                "ignore_errors": True, "register": "result_%d" % number}
        task.update(keywords)
        tasks.append(task)
        tasks.append({"name": "show %d" % number, "ansible.builtin.debug": {"var": "result_%d" % number}})
    return [{"name": "Every module, credentials as options", "hosts": "localhost", "gather_facts": False,
             "tasks": tasks}]


def run_modules(emulator, workdir, mode, creds):
    path = os.path.join(workdir, "modules.yml")
    with open(path, "w") as handle:
        yaml.safe_dump(module_playbook(creds), handle)
    env = dict(clean_env(emulator), ANSIBLE_LOG_PATH=os.path.join(workdir, "ansible.log"))
    done = subprocess.run([os.path.join(BIN, "ansible-playbook"), "-vvvv", path], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=600)
    with open(os.path.join(workdir, "modules-output.txt"), "w") as handle:
        handle.write(done.stdout + done.stderr)
    return done.stdout.count("ok: [localhost]") + done.stdout.count("changed: [localhost]")


def run_window(emulator, workdir, mode, creds, window):
    import ansible_runner  # pylint: disable=import-outside-toplevel
    data_dir = os.path.join(workdir, "runner")
    os.makedirs(os.path.join(data_dir, "env"))
    os.makedirs(os.path.join(data_dir, "project"))
    credentials_file = os.path.join(workdir, "credentials.json")
    with open(credentials_file, "w") as handle:
        json.dump(dict((k, v) for k, v in creds.items() if k != "auth_type"), handle)
    os.chmod(credentials_file, 0o600)
    envvars = dict(clean_env(emulator), HW_CREDENTIALS_FILE=credentials_file,
                   ANSIBLE_LOG_PATH=os.path.join(workdir, "runner-ansible.log"))
    with open(os.path.join(data_dir, "env", "envvars"), "w") as handle:
        json.dump(envvars, handle)
    extravars = dict(window, maintenance_window_id="secrets-%s" % mode.replace("_", "-"),
                     maintenance_window_state_dir=os.path.join(workdir, "state"))
    with open(os.path.join(data_dir, "env", "extravars"), "w") as handle:
        json.dump(extravars, handle)
    with open(os.path.join(data_dir, "project", "site.yml"), "w") as handle:
        handle.write("- name: AWX job template\n  ansible.builtin.import_playbook: hwcloud.taskops.maintenance_window\n")
    result = ansible_runner.run(private_data_dir=data_dir, playbook="site.yml", verbosity=4, quiet=True,
                                envvars=envvars)
    return result.status


def scan(workdir, secrets, skip):
    hits, files = [], 0
    forms = [(secret[:4] + "...", form) for secret in secrets for form in encodings(secret)]
    for folder, dummy, names in os.walk(workdir):
        for name in names:
            path = os.path.join(folder, name)
            if path in skip:
                continue
            files += 1
            with open(path, "rb") as handle:
                text = handle.read().decode("utf-8", "replace")
            hits.extend("%s in %s" % (label, os.path.relpath(path, workdir)) for label, form in forms if form in text)
    return hits, files


def check_canary(workdir):
    """The scan must find a secret planted raw, URL-encoded and base64-encoded inside other text."""
    secret = "Canary/Secret+Value=42"
    folder = os.path.join(workdir, "secrets-canary")
    for shift in range(3):
        for name, text in (("raw", "x%sy" % secret), ("url", "a=%s&b" % urllib.parse.quote(secret, safe="")),
                           ("b64", base64.b64encode(b"p" * shift + b"user:" + secret.encode() + b"!").decode())):
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(text)
            hits, dummy = scan(folder, [secret], skip=set())
            if not hits:
                raise AssertionError("the secrets scan misses a planted secret (%s, shift %d)" % (name, shift))


def run_secrets_scan(emulator, workdir, window):
    check_canary(workdir)
    figures = {}
    for mode in MODES:
        emulator.admin("POST", "reset", {})
        folder = os.path.join(workdir, "secrets-" + mode)
        os.makedirs(folder)
        creds = credentials(emulator, mode)
        answered = run_modules(emulator, folder, mode, creds)
        status = run_window(emulator, folder, mode, creds, window)
        inputs = {os.path.join(folder, "credentials.json"), os.path.join(folder, "modules.yml")}
        hits, files = scan(folder, secrets_of(creds), skip=inputs)
        figures[mode] = {"module_results_ok": answered, "window": status, "files_scanned": files,
                         "hits": hits[:10], "hit_count": len(hits)}
    return figures
