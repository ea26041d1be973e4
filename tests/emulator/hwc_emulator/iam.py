"""IAM: project-scoped password tokens and the project listing."""

import time

from hwc_emulator import errors
from hwc_emulator.registry import Route, Service, object_services


def _iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(epoch))


def create_token(world, ctx, params, query, body):
    auth = body.get("auth") if isinstance(body, dict) else None
    identity = (auth or {}).get("identity") or {}
    if not auth or identity.get("methods") != ["password"]:
        raise errors.keystone(400, "Bad Request", "The request body is invalid: identity.methods must be "
                                                  "[\"password\"].")
    user = ((identity.get("password") or {}).get("user")) or {}
    domain = (user.get("domain") or {}).get("name")
    known = world.users.get(user.get("name"))
    if not known or known["password"] != user.get("password") or domain != world.domain["name"]:
        raise errors.keystone(401, "Unauthorized", "The username or password is wrong.")
    project = ((auth.get("scope") or {}).get("project")) or {}
    if project.get("id"):
        project_id = project["id"] if project["id"] in world.projects else None
    else:
        project_id = next((pid for pid, name in world.projects.items() if name == project.get("name")), None)
    if not project_id:
        raise errors.keystone(401, "Unauthorized", "The project in the scope does not exist or is not accessible.")
    token, record = ctx.authenticator.issue_token(user["name"], project_id)
    data = {"token": {
        "expires_at": _iso(record["expires"]), "issued_at": _iso(record["issued"]), "methods": ["password"],
        "project": {"id": project_id, "name": world.projects[project_id],
                    "domain": {"id": world.domain["id"], "name": world.domain["name"]}},
        "user": {"id": "u-" + user["name"], "name": user["name"],
                 "domain": {"id": world.domain["id"], "name": world.domain["name"]}},
        "roles": [{"id": "r-1", "name": "te_admin"}],
    }}
    if not query.get("nocatalog"):
        names = [service.name for service in object_services()]
        data["token"]["catalog"] = [{"type": name, "name": name, "endpoints": []} for name in names]
    return 201, data, {"X-Subject-Token": token}


def list_projects(world, ctx, params, query, body):
    name = query.get("name")
    projects = [{"id": pid, "name": pname, "domain_id": world.domain["id"], "enabled": True, "is_domain": False,
                 "parent_id": world.domain["id"], "description": ""}
                for pid, pname in sorted(world.projects.items()) if pid in ctx.caller.project_ids
                and (not name or pname == name)]
    return 200, {"projects": projects, "links": {"self": "/v3/projects", "next": None, "previous": None}}, {}


def _server_error(status):
    message = "An unexpected error prevented the server from fulfilling your request."
    return errors.keystone(status, "Internal Server Error", message)


SERVICE = Service(
    "iam",
    routes=[
        Route("POST", "/v3/auth/tokens", "create_token", create_token, public=True),
        Route("GET", "/v3/projects", "list_projects", list_projects),
    ],
    bad_body=lambda: errors.keystone(400, "Bad Request", "The request body is not valid JSON."),
    project_error=lambda project_id: errors.keystone(401, "Unauthorized", "The project is not accessible."),
    server_error=_server_error,
)
