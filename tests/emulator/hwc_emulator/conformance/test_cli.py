"""The hwc-emulator command: env file, a large generated scenario served in pages, clean stop on SIGTERM."""
import os
import shlex
import signal
import subprocess
import sys
import time

import requests
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkroma.v2 import ListTasksRequest, RomaClient


def start(tmp_path, *args):
    env_file = tmp_path / "emulator.env"
    process = subprocess.Popen([sys.executable, "-m", "hwc_emulator.cli", "serve", "--port", "0",
                                "--env-file", str(env_file)] + list(args),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    while not env_file.exists():
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() - started < 20
        time.sleep(0.02)
    env = {}
    for line in env_file.read_text().splitlines():
        key, dummy, value = line.partition("=")
        env[key] = shlex.split(value)[0]
    return process, env, time.monotonic() - started


def stop(process):
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    assert "hwc-emulator stopped" in process.stdout.read()


def test_env_file_points_clients_at_the_instance(tmp_path):
    process, env, dummy = start(tmp_path)
    try:
        assert oct(os.stat(tmp_path / "emulator.env").st_mode & 0o777) == "0o600"
        for key in ("HW_ENDPOINTS", "HW_REGION_NAME", "HW_PROJECT_ID", "HW_ACCESS_KEY", "HW_SECRET_KEY",
                    "HW_USER_NAME", "HW_PASSWORD", "HW_DOMAIN_NAME"):
            assert env[key], key
        assert requests.get(env["HWC_EMULATOR_URL"] + "/_emulator/health", timeout=5).json() == {"status": "ok"}
    finally:
        stop(process)


def test_generated_10000_tasks_start_fast_and_list_in_pages(tmp_path):
    process, env, startup = start(tmp_path, "--generate", "roma=10000,drs=1000,vias=200")
    try:
        # Interpreter start-up included; the issue asks for under 2 s of scenario building.
        assert startup < 6, startup
        client = RomaClient.new_builder().with_endpoints([env["HWC_EMULATOR_URL"]]).with_credentials(
            BasicCredentials(env["HW_ACCESS_KEY"], env["HW_SECRET_KEY"], env["HW_PROJECT_ID"])).build()
        seen = set()
        for offset in range(0, 10000, 999):
            # A limit above 999 is answered with at most 999 tasks, as the SDK documents.
            page = client.list_tasks(ListTasksRequest(instance_id="inst-gen-0001", limit=1000, offset=offset))
            assert page.total == 10000 and page.size == min(999, 10000 - offset)
            seen.update(e.task_id for e in page.entities)
        assert len(seen) == 10000
        objects = requests.get(env["HWC_EMULATOR_URL"] + "/_emulator/objects", timeout=30).json()
        assert len(objects["drs"]) == 1000 and len(objects["vias"]) == 200
    finally:
        stop(process)


def _self_signed(tmp_path):
    import datetime
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


def test_tls_serving_and_ca_bundle_in_the_env_file(tmp_path):
    cert, key = _self_signed(tmp_path)
    process, env, dummy = start(tmp_path, "--tls-cert", cert, "--tls-key", key)
    try:
        assert env["HWC_EMULATOR_URL"].startswith("https://") and env["HW_CA_BUNDLE"] == cert
        response = requests.get(env["HWC_EMULATOR_URL"] + "/_emulator/health", verify=env["HW_CA_BUNDLE"], timeout=5)
        assert response.json() == {"status": "ok"}
        try:
            requests.get(env["HWC_EMULATOR_URL"] + "/_emulator/health", timeout=5)
            raise AssertionError("an unknown CA must be refused")
        except requests.exceptions.SSLError:
            pass
    finally:
        stop(process)
