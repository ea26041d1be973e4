"""Everything the emulator knows: accounts, credentials, projects and the objects of each service.

A scenario (YAML or JSON, see docs/emulator.md) describes the starting point;
``generate()`` builds large synthetic ones. One re-entrant lock guards the world:
handlers are short, so a single lock keeps every answer consistent.
"""

import random
import threading
import uuid

import yaml

from hwc_emulator.model import Clock, Item

DEFAULT_REGION = "cn-north-4"
DEFAULT_PROJECT_ID = "0123456789abcdef0123456789abcdef"

ROMA_EXECUTE_STATUSES = ("UNSTARTED", "WAITING", "RUNNING", "SUCCESS", "CANCELLED", "ERROR")
DRS_STATUSES = (
    "CREATING", "CREATE_FAILED", "CONFIGURATION", "STARTJOBING", "WAITING_FOR_START", "START_JOB_FAILED",
    "PAUSING", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED", "FULL_TRANSFER_COMPLETE",
    "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED",
    "RELEASE_RESOURCE_COMPLETE", "REBUILD_NODE_STARTED", "REBUILD_NODE_FAILED", "CHANGE_JOB_STARTED",
    "CHANGE_JOB_FAILED", "DELETED", "CHILD_TRANSFER_STARTING", "CHILD_TRANSFER_STARTED", "CHILD_TRANSFER_COMPLETE",
    "CHILD_TRANSFER_FAILED", "RELEASE_CHILD_TRANSFER_STARTED", "RELEASE_CHILD_TRANSFER_COMPLETE",
    "NODE_UPGRADE_START", "NODE_UPGRADE_COMPLETE", "NODE_UPGRADE_FAILED",
)
VIAS_TASK_STATES = (
    "PENDING", "RECOVERING", "STARTING", "UPGRADING", "CREATE_FAILED", "START_FAILED", "RUNNING", "STOPPING",
    "STOPPED", "ABNORMAL", "SUCCEEDED", "FAILED", "DELETING", "FREEZING", "FROZEN",
)
VIAS_COUNT_KEYS = (
    "pending", "recovering", "starting", "upgrading", "create_failed", "start_failed", "running", "stopping",
    "stopped", "abnormal", "succeeded", "failed", "deleting", "freezing", "frozen", "stopped_no_service",
    "scheduling", "lack_of_resources",
)

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
            self.delays = {s: float(delays.get(s, 1.0)) for s in ("roma", "drs", "vias")}
            self.roma_unknown_ids = (scenario.get("roma") or {}).get("unknown_ids", "per_item")
            # UNCONFIRMED whether a paused job can be paused again with a stricter pause_mode: refuse (the safe
            # guess, DRS.M01504) or allow (the mode changes from target to all).
            self.drs_repause = (scenario.get("drs") or {}).get("repause", "refuse")
            # UNCONFIRMED: no per-call job limit is documented for the v3 batch APIs; 100 matches the page size.
            self.drs_batch_limit = int((scenario.get("drs") or {}).get("batch_limit", 100))
            # UNCONFIRMED v5 facts and the v3 withdrawal: see drs_v5.py.
            drs_spec = scenario.get("drs") or {}
            self.drs_v5_action_answer = drs_spec.get("v5_action_answer", "sync")
            self.drs_v5_paused_status = drs_spec.get("v5_paused_status", "PAUSING")
            self.drs_v3 = drs_spec.get("v3", "served")
            # How fast a replicating job catches up: milliseconds of delay drained per second.
            self.drs_delay_drain = float(drs_spec.get("delay_drain_ms_per_s", 2000))
            self.roma = {}
            self.drs = {}
            self.vias = {}
            self._load_roma(scenario.get("roma") or {}, now)
            self._load_drs(scenario.get("drs") or {}, now)
            self._load_vias(scenario.get("vias") or {}, now)

    def _hex_id(self):
        return "%032x" % self.rng.getrandbits(128)

    def _uuid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _created(self, now, index):
        return int((now - 86400 * 30 + index * 60) * 1000)

    def _load_roma(self, spec, now):
        for inst in spec.get("instances") or []:
            tasks = self.roma.setdefault(str(inst["id"]), {})
            specs = list(inst.get("tasks") or []) + _generated_roma(inst.get("generate"), self.rng)
            for index, task in enumerate(specs):
                item_id = str(task.get("id") or self._hex_id())
                running = task.get("status", "stopped") in ("running", 1, "1")
                task_type = task.get("type", "realtime")
                has_plan = task.get("dispatch_plan", task_type == "timing")
                fields = {
                    "task_id": item_id, "task_name": task["name"], "task_type": task_type,
                    "status": 1 if running else 0,
                    "execute_status": task.get("execute_status") or (
                        ("RUNNING" if task_type == "realtime" else "WAITING") if running else "UNSTARTED"),
                    "task_tag": task.get("tag", ""), "created_date": self._created(now, index),
                    "last_modified_time": self._created(now, index), "version": "1",
                    "source_app_id": "app-src", "target_app_id": "app-dst",
                    "source_datasource_id": "ds-src-%d" % (index % 7), "target_datasource_id": "ds-dst-%d" % (index % 5),
                    "source_instance_id": inst["id"], "target_instance_id": inst["id"],
                    "ext_type": None, "enterprise_project_id": "0", "description": task.get("description", ""),
                    "dispatch": None,
                }
                if has_plan:
                    fields["dispatch"] = {"dispatch_id": self._hex_id(), "period": "HOUR", "dispatch_interval": 1,
                                          "start_datetime": int(now * 1000), "use_quartz_cron": False,
                                          "cron": None, "remark": ""}
                tasks[item_id] = Item(item_id, fields, now)

    def _load_drs(self, spec, now):
        specs = list(spec.get("jobs") or []) + _generated_drs(spec.get("generate"), self.rng)
        for index, job in enumerate(specs):
            parent_id = self._add_job(job, now, index, None)
            # Dual-active DR: the parent's child jobs are jobs of their own, nested under it in the listing.
            for number, child in enumerate(job.get("children") or []):
                self._add_job(dict({"db_use_type": "cloudDataGuard"}, **child), now, index * 100 + number + 1,
                              parent_id)

    def _add_job(self, job, now, index, parent_id):
        item_id = str(job.get("id") or self._uuid())
        status = job.get("status", "INCRE_TRANSFER_STARTED")
        if status not in DRS_STATUSES:
            raise ValueError("scenario: unknown DRS status %r for job %s" % (status, job.get("name")))
        fields = {
            "id": item_id, "name": job["name"], "status": status,
            "task_type": job.get("task_type", "FULL_INCR_TRANS"),
            "db_use_type": job.get("db_use_type", "cloudDataGuard" if job.get("children") else "migration"),
            "engine_type": job.get("engine_type", "mysql"),
            "net_type": "eip", "job_direction": "up", "create_time": str(self._created(now, index)),
            "description": job.get("description", ""), "resume_status": job.get("resume_status"),
            "error_code": job.get("error_code", ""), "error_message": job.get("error_message", ""),
            "start_time": None, "parent_id": parent_id,
            "is_parent": bool(job.get("children")), "pause_mode": job.get("pause_mode"),
            # Replication delay (drs_delay.py): its value at delay_at, and the least it drains to.
            "delay_ms": float(job.get("delay_ms", 0)), "delay_floor_ms": float(job.get("delay_floor_ms", 0)),
            "delay_at": now,
        }
        if status == "PAUSING" and not fields["resume_status"]:
            fields["resume_status"] = "INCRE_TRANSFER_STARTED"
        if status == "PAUSING" and not fields["pause_mode"]:
            fields["pause_mode"] = "target"
        self.drs[item_id] = Item(item_id, fields, now)
        return item_id

    def _load_vias(self, spec, now):
        specs = list(spec.get("batches") or []) + _generated_vias(spec.get("generate"), self.rng)
        for index, batch in enumerate(specs):
            batch_id = str(batch.get("id") or self._hex_id())
            children = {}
            child_specs = batch.get("tasks") or [
                {"name": "%s-cam-%02d" % (batch["name"], n), "state": batch.get("state", "RUNNING")}
                for n in range(int(batch.get("task_count", 3)))]
            for n, child in enumerate(child_specs):
                child_id = str(child.get("id") or self._hex_id())
                state = child.get("state", "RUNNING")
                if state not in VIAS_TASK_STATES:
                    raise ValueError("scenario: unknown VIAS task state %r" % state)
                children[child_id] = Item(child_id, {
                    "id": child_id, "name": child["name"], "state": state, "type": "0",
                    "title": batch.get("title", "demo"), "created_at": str(self._created(now, index * 100 + n)),
                    "algorithm_publish_id": "alg-%s" % batch.get("service_name", "crowd-counting"),
                    "service_id": "svc-%d" % (index % 4), "video_source_name": "camera-%02d" % n,
                    "batch_id": batch_id,
                }, now)
            self.vias[batch_id] = {
                "id": batch_id, "batch_task_name": batch["name"], "alg_name": batch.get("service_name", "crowd-counting"),
                "company": "hwc", "created_at": self._created(now, index), "type": "0",
                "video_group_name": batch.get("video_group_name", "group-%d" % (index % 3)),
                "video_source_name": "camera-00", "priority": batch.get("priority", "low"), "children": children,
            }

    # ---- lookups ----------------------------------------------------------------------------
    def all_items(self):
        for tasks in self.roma.values():
            yield from tasks.values()
        yield from self.drs.values()
        for batch in self.vias.values():
            yield from batch["children"].values()

    def find_item(self, item_id):
        for item in self.all_items():
            if item.id == item_id:
                return item
        return None

    def snapshot(self):
        now = self.clock.now()
        with self.lock:
            return {
                "roma": {inst: [t.view(now) for t in tasks.values()] for inst, tasks in self.roma.items()},
                "drs": [j.view(now) for j in self.drs.values()],
                "vias": [dict({k: v for k, v in b.items() if k != "children"},
                              tasks=[c.view(now) for c in b["children"].values()]) for b in self.vias.values()],
            }


def _generated_roma(spec, rng):
    if not spec:
        return []
    if isinstance(spec, list):  # several generated groups, e.g. exactly 95 running plus 30 stopped
        return [task for part in spec for task in _generated_roma(part, rng)]
    count = int(spec.get("count", 10))
    prefix = spec.get("prefix", "fdi-task")
    running = float(spec.get("running_ratio", 0.5))
    timing = float(spec.get("timing_ratio", 0.3))
    tasks = []
    for n in range(count):
        task_type = "timing" if rng.random() < timing else "realtime"
        tasks.append({"name": "%s-%05d" % (prefix, n), "type": task_type,
                      "status": "running" if rng.random() < running else "stopped",
                      "tag": spec.get("tag", "tag-%d" % (n % 4))})
    for n in range(int(spec.get("without_plan", 0))):
        tasks.append({"name": "%s-noplan-%02d" % (prefix, n), "type": "timing", "status": "stopped",
                      "dispatch_plan": False})
    return tasks


def _generated_drs(spec, rng):
    if not spec:
        return []
    weights = spec.get("statuses") or {"INCRE_TRANSFER_STARTED": 5, "FULL_TRANSFER_STARTED": 2, "PAUSING": 1,
                                       "CONFIGURATION": 1, "INCRE_TRANSFER_FAILED": 1, "CREATE_FAILED": 1}
    names, counts = zip(*weights.items())
    return [{"name": "%s-%05d" % (spec.get("prefix", "drs-job"), n), "status": rng.choices(names, counts)[0]}
            for n in range(int(spec.get("count", 10)))]


def _generated_vias(spec, rng):
    if not spec:
        return []
    return [{"name": "%s-%04d" % (spec.get("prefix", "vias-batch"), n),
             "task_count": int(spec.get("tasks_per_batch", 4)),
             "state": "RUNNING" if rng.random() < float(spec.get("running_ratio", 0.7)) else "STOPPED"}
            for n in range(int(spec.get("count", 5)))]


def load_scenario_file(path):
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    if not isinstance(data, dict):
        raise ValueError("scenario %s must be a mapping" % path)
    return data


def generated_scenario(spec):
    """Parse --generate roma=N,drs=N,vias=N into a scenario."""
    counts = {}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        name, dummy, value = part.partition("=")
        if name not in ("roma", "drs", "vias") or not value.isdigit():
            raise ValueError("--generate takes roma=N,drs=N,vias=N, got %r" % part)
        counts[name] = int(value)
    scenario = {"seed": 1}
    if counts.get("roma"):
        scenario["roma"] = {"instances": [{"id": "inst-gen-0001", "generate": {"count": counts["roma"]}}]}
    if counts.get("drs"):
        scenario["drs"] = {"generate": {"count": counts["drs"]}}
    if counts.get("vias"):
        scenario["vias"] = {"generate": {"count": counts["vias"]}}
    return scenario
