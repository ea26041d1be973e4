"""hwc-emulator serve: run the emulator and print (and write) the HW_* variables that point a client at it."""

import argparse
import json
import os
import shlex
import signal
import ssl
import sys
import tempfile
import threading
from importlib import resources

from hwc_emulator import registry
from hwc_emulator.server import Emulator, EmulatorServer
from hwc_emulator.world import World, generated_scenario, load_scenario_file


def default_scenario():
    text = resources.files("hwc_emulator").joinpath("scenarios/demo.yml").read_text(encoding="utf-8")
    import yaml  # pylint: disable=import-outside-toplevel
    return yaml.safe_load(text)


def client_environment(world, url, ca_bundle=None):
    """The variables hwcloud.taskops (and the SDK) read, for this emulator instance."""
    permanent = next(k for k in world.access_keys.values() if not k.get("temporary"))
    temporary = next((k for k in world.access_keys.values() if k.get("temporary")), None)
    user = next(iter(world.users.values()))
    env = {
        "HW_ENDPOINTS": json.dumps({name: url for name in registry.service_names()}, separators=(",", ":")),
        "HW_REGION_NAME": world.region,
        "HW_PROJECT_ID": world.project_id,
        "HW_ACCESS_KEY": permanent["access_key"],
        "HW_SECRET_KEY": permanent["secret_key"],
        "HW_USER_NAME": user["name"],
        "HW_PASSWORD": user["password"],
        "HW_DOMAIN_NAME": world.domain["name"],
        "HWC_EMULATOR_URL": url,
    }
    if temporary:
        env.update(HWC_EMULATOR_TEMP_ACCESS_KEY=temporary["access_key"],
                   HWC_EMULATOR_TEMP_SECRET_KEY=temporary["secret_key"],
                   HWC_EMULATOR_TEMP_SECURITY_TOKEN=temporary["security_token"])
    if ca_bundle:
        env["HW_CA_BUNDLE"] = os.path.abspath(ca_bundle)
    return env


def write_env_file(path, env):
    """Written atomically, so a reader never sees half a file; mode 0600 since it holds credentials."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".hwc-env-")
    with os.fdopen(fd, "w") as handle:
        for key in sorted(env):
            handle.write("%s=%s\n" % (key, shlex.quote(env[key])))
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def build_parser():
    parser = argparse.ArgumentParser(prog="hwc-emulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the emulated APIs on one port")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    source = serve.add_mutually_exclusive_group()
    source.add_argument("--scenario", help="scenario file (YAML or JSON); default: the bundled demo scenario")
    source.add_argument("--generate", help="synthetic scenario, e.g. roma=10000,drs=1000,vias=200")
    serve.add_argument("--latency-ms", type=float, default=0.0, help="added to every service answer")
    serve.add_argument("--rate-limit", type=float, default=None, help="gateway limit in requests per second")
    serve.add_argument("--delay", type=float, default=None, help="seconds per status transition (all services)")
    serve.add_argument("--seed", type=int, default=0, help="seed of every random choice (faults, ids)")
    serve.add_argument("--tls-cert")
    serve.add_argument("--tls-key")
    serve.add_argument("--env-file", help="also write the client variables to this file")
    return parser


def serve(args):
    if args.generate:
        scenario = generated_scenario(args.generate)
    elif args.scenario:
        scenario = load_scenario_file(args.scenario)
    else:
        scenario = default_scenario()
    if args.delay is not None:
        scenario["delays"] = {service.name: args.delay for service in registry.object_services()}
    world = World(scenario, seed=args.seed)
    emulator = Emulator(world, faults=scenario.get("faults"), rate_limit=args.rate_limit or scenario.get("rate_limit"),
                        latency_ms=args.latency_ms, seed=args.seed)
    server = EmulatorServer((args.host, args.port), emulator)
    scheme = "http"
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
        scheme = "https"
    host, port = server.server_address[:2]
    url = "%s://%s:%d" % (scheme, "127.0.0.1" if host in ("0.0.0.0", "") else host, port)
    env = client_environment(world, url, args.tls_cert if args.tls_cert else None)
    if args.env_file:
        write_env_file(args.env_file, env)
    for key in sorted(env):
        print("%s=%s" % (key, shlex.quote(env[key])))
    print("hwc-emulator listening on %s" % url, flush=True)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    stop.wait()
    server.shutdown()
    server.server_close()
    print("hwc-emulator stopped", flush=True)
    return 0


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return serve(args)
    except (OSError, ValueError) as exc:
        print("hwc-emulator: %s" % exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
