"""The admin API under /_emulator/ (docs/emulator.md): what tests use to look at, steer and reset the emulator.

No service path reaches it, and it authenticates nothing: the emulator is a test tool bound to localhost.
"""

from urllib.parse import parse_qsl

from hwc_emulator.faults import FaultError


def handle(emulator, method, path, raw_query, data):
    """Answer one admin request: ``(status, body)``."""
    route = (method, path.rstrip("/"))
    handler = ROUTES.get(route)
    try:
        if handler:
            return handler(emulator, data, dict(parse_qsl(raw_query)))
        if method == "PATCH" and path.startswith("/_emulator/items/"):
            return _patch_item(emulator.world, path.rsplit("/", 1)[-1], data)
    except (FaultError, ValueError, KeyError, TypeError) as exc:
        return 400, {"error": str(exc)}
    return 404, {"error": "unknown admin path %s %s" % (method, path)}


def _stats(emulator, data, query):
    with emulator.stats_lock:
        return 200, {"total": emulator.total, "writes": emulator.writes, "by_operation": emulator.stats}


def _requests(emulator, data, query):
    since = int(query.get("since", 0))
    with emulator.stats_lock:
        return 200, {"requests": [r for r in emulator.log if r["seq"] > since]}


def _inflight(emulator, data, query):
    with emulator.stats_lock:
        return 200, {"requests": list(emulator.inflight.values())}


def _reset(emulator, data, query):
    # Without a scenario: back to the one the emulator started with, not the last one loaded.
    emulator.world.load(data.get("scenario") or emulator.initial_scenario)
    emulator.faults.configure(data.get("faults", emulator.initial_faults))
    emulator.limiter.set(data.get("rate_limit"))
    emulator.reset_stats()
    emulator.apply_stuck()
    return 200, {"status": "reset"}


def _set_faults(emulator, data, query):
    emulator.faults.configure(data.get("faults", []), data.get("seed"))
    emulator.apply_stuck()
    return 200, {"faults": emulator.faults.faults}


def _set_delays(emulator, data, query):
    world = emulator.world
    with world.lock:
        world.delays.update({k: float(v) for k, v in data.items() if k in world.delays})
    return 200, world.delays


def _expire_tokens(emulator, data, query):
    with emulator.world.lock:
        emulator.authenticator.expire_tokens()
    return 200, {"expired": len(emulator.world.tokens)}


def _advance_clock(emulator, data, query):
    with emulator.world.lock:
        emulator.world.clock.advance(data.get("advance", 0))
    return 200, {"offset": emulator.world.clock.offset}


def _set_rate_limit(emulator, data, query):
    emulator.limiter.set(data.get("rps"))
    return 200, {"rps": emulator.limiter.rps}


def _patch_item(world, item_id, data):
    with world.lock:
        item = world.find_item(item_id)
        if item is None:
            return 404, {"error": "no item %s" % item_id}
        if "stuck" in data:
            item.stuck = bool(data.pop("stuck"))
        unknown = set(data) - set(item.fields)
        if unknown:
            return 400, {"error": "unknown fields %s" % sorted(unknown)}
        item.pending = []
        item.set(world.clock.now(), **data)
        return 200, item.view(world.clock.now())


ROUTES = {
    ("GET", "/_emulator/health"): lambda emulator, data, query: (200, {"status": "ok"}),
    ("GET", "/_emulator/stats"): _stats,
    ("GET", "/_emulator/requests"): _requests,
    ("GET", "/_emulator/inflight"): _inflight,
    ("GET", "/_emulator/objects"): lambda emulator, data, query: (200, emulator.world.snapshot()),
    ("POST", "/_emulator/reset"): _reset,
    ("GET", "/_emulator/faults"): lambda emulator, data, query: (200, {"faults": emulator.faults.faults,
                                                                       "seed": emulator.faults.seed}),
    ("PUT", "/_emulator/faults"): _set_faults,
    ("PUT", "/_emulator/rate-limit"): _set_rate_limit,
    ("PUT", "/_emulator/delays"): _set_delays,
    ("POST", "/_emulator/tokens/expire"): _expire_tokens,
    ("POST", "/_emulator/clock"): _advance_clock,
}
