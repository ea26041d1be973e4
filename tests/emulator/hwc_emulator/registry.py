"""The services the emulator serves, each declared once, in its own module, as a ``Service``.

A declaration holds the service's routes (the operation each serves, and whether it reads or writes), its error
shapes, and how a scenario builds, lists and shows its objects. The gateway (server.py), the world, the admin API
and the command line ask this registry and never name a service: adding one is a module with a ``SERVICE`` and a
line in ``SERVICE_MODULES``.
"""

import importlib
import re

SERVICE_MODULES = ("hwc_emulator.iam", "hwc_emulator.roma", "hwc_emulator.drs_service", "hwc_emulator.vias")


class Route:
    """``METHOD /path/{param}/...`` served by ``handler(world, ctx, params, query, body)``.

    The handler answers ``(status, body)`` or ``(status, body, headers)``, or raises ``errors.ApiError``.
    ``kind`` is ``read`` or ``write`` (stale-read faults and the write count follow it); a ``public`` route is
    served without authentication; ``available(world)`` false makes the gateway answer as for an unknown API.
    """

    def __init__(self, method, path, operation, handler, kind="read", public=False, available=None):
        self.method = method
        self.path = path
        self.pattern = re.compile("^%s/?$" % re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", path))
        self.operation = operation
        self.handler = handler
        self.kind = kind
        self.public = public
        self.available = available or (lambda world: True)


class Service:
    """One emulated service.

    - ``bad_body()``, ``project_error(project_id)``, ``server_error(status)``: its error answers
      (``errors.ApiError``) for a body that is not JSON, a project the caller may not use, and an injected fault.
    - ``load(world, spec, now)``: build its objects from ``scenario[name]``; ``items(world)``: every object that
      moves (``model.Item``); ``snapshot(world, now)``: the admin API's view of them; ``generate(count)``: the
      scenario part ``--generate name=N`` asks for. A service without objects (IAM) leaves them out.
    """

    def __init__(self, name, routes, bad_body, project_error, server_error, load=None, items=None, snapshot=None,
                 generate=None):
        self.name = name
        self.routes = routes
        self.bad_body = bad_body
        self.project_error = project_error
        self.server_error = server_error
        self.load = load
        self.items = items or (lambda world: iter(()))
        self.snapshot = snapshot
        self.generate = generate

    @property
    def has_objects(self):
        return self.load is not None

    def operations(self, kind):
        return ["%s.%s" % (self.name, r.operation) for r in self.routes if r.kind == kind]


_services = []


def services():
    """Every registered service, in SERVICE_MODULES order (loaded on first use)."""
    if not _services:
        _services.extend(importlib.import_module(module).SERVICE for module in SERVICE_MODULES)
    return list(_services)


def object_services():
    """The services with objects a scenario describes (and delays, faults on items, the admin view)."""
    return [service for service in services() if service.has_objects]


def service_names():
    return [service.name for service in services()]


def match(world, method, path):
    """``(service, route, params)`` for a request; ``(None, known, None)`` when nothing serves it, where
    ``known`` says whether the path exists for another method."""
    known = False
    for service in services():
        for route in service.routes:
            found = route.pattern.match(path)
            if found and route.available(world):
                known = True
                if route.method == method:
                    return service, route, found.groupdict()
    return None, known, None
