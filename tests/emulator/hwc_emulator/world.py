"""Everything the emulator knows: accounts, credentials, projects and the objects of each service.

The services keep their objects on the world (``world.roma``, ``world.drs``, ...): each builds them from its part
of the scenario through the registry, so this module names none of them.

A scenario (YAML or JSON, see docs/emulator.md) describes the starting point;
``generate()`` builds large synthetic ones. One re-entrant lock guards the world:
handlers are short, so a single lock keeps every answer consistent.
"""

import random
import threading
import uuid

import yaml

from hwc_emulator import registry
from hwc_emulator.model import Clock

DEFAULT_REGION = "cn-north-4"
DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"

DEFAULT_CREDENTIALS = {
    "domain": {"id": "d0000000000000000000000000000001", "name": "hwc-demo"},
    "users": [{"name": "ops-admin", "password": "Emulator-Passw0rd!"}],
    "access_keys": [
        {"access_key": "HCEMULATORAK00000001", "secret_key": "emulatorSecretKey000000000000000000000001"},
        {"access_key": "HCEMULATORTMP0000001", "secret_key": "emulatorTempSecret0000000000000000000001",
         "security_token": "emulator-security-token-0001", "temporary": True},
    ],
}


class World:
    def __init__(self, scenario=None, seed=0):
        self.lock = threading.RLock()
        self.clock = Clock()
        self.load(scenario or {}, seed)

    # ---- scenario -------------------------------------------------------------------------
    def load(self, scenario, seed=None):
        with self.lock:
            self.scenario = scenario
            self.clock.offset = 0.0
            self.rng = random.Random(scenario.get("seed", seed or 0))
            now = self.clock.now()
            self.region = scenario.get("region", DEFAULT_REGION)
            iam = dict(DEFAULT_CREDENTIALS, **(scenario.get("iam") or {}))
            self.domain = iam["domain"]
            self.projects = {p["id"]: p["name"] for p in iam.get("projects") or
                             [{"id": scenario.get("project_id", DEFAULT_PROJECT_ID), "name": self.region}]}
            self.project_id = next(iter(self.projects))
            self.users = {u["name"]: u for u in iam["users"]}
            self.access_keys = {k["access_key"]: k for k in iam["access_keys"]}
            self.token_lifetime = float(iam.get("token_lifetime", 86400))
            self.ak_lockout = bool(iam.get("ak_lockout", True))
            self.tokens = {}
            self.ak_failures = {}
            delays = scenario.get("delays") or {}
            services = registry.object_services()
            self.delays = {service.name: float(delays.get(service.name, 1.0)) for service in services}
            # Each service builds its objects (and reads its own switches) from its part of the scenario.
            for service in services:
                service.load(self, scenario.get(service.name) or {}, now)

    # ---- for the services' loaders: ids and creation times, reproducible from the seed ----------------
    def hex_id(self):
        return "%032x" % self.rng.getrandbits(128)

    def uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def created(self, now, index):
        return int((now - 86400 * 30 + index * 60) * 1000)

    # ---- lookups ----------------------------------------------------------------------------
    def all_items(self):
        for service in registry.object_services():
            yield from service.items(self)

    def find_item(self, item_id):
        for item in self.all_items():
            if item.id == item_id:
                return item
        return None

    def snapshot(self):
        now = self.clock.now()
        with self.lock:
            return {service.name: service.snapshot(self, now) for service in registry.object_services()}


def load_scenario_file(path):
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError("scenario %s must be a mapping" % path)
    return data


def generated_scenario(spec):
    """Parse --generate roma=N,drs=N,vias=N (any service with objects) into a scenario."""
    services = {service.name: service for service in registry.object_services()}
    scenario = {"seed": 1}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, dummy, value = part.partition("=")
        if name not in services or not value.isdigit():
            raise ValueError("--generate takes %s, got %r" % (",".join("%s=N" % n for n in services), part))
        if int(value):
            scenario[name] = services[name].generate(int(value))
    return scenario
