"""IAM: project-scoped password tokens and the project listing."""

import time

from hwc_emulator import errors


def _iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime(epoch))


def create_token(world, authenticator, body, query):
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
    token, record = authenticator.issue_token(user["name"], project_id)
    data = {"token": {
        "expires_at": _iso(record["expires"]), "issued_at": _iso(record["issued"]), "methods": ["password"],
        "project": {"id": project_id, "name": world.projects[project_id],
                    "domain": {"id": world.domain["id"], "name": world.domain["name"]}},
        "user": {"id": "u-" + user["name"], "name": user["name"],
                 "domain": {"id": world.domain["id"], "name": world.domain["name"]}},
        "roles": [{"id": "r-1", "name": "te_admin"}],
    }}
    if not query.get("nocatalog"):
        data["token"]["catalog"] = [{"type": s, "name": s, "endpoints": []} for s in ("roma", "drs", "vias")]
    return 201, data, {"X-Subject-Token": token}


def list_projects(world, caller, query):
    name = query.get("name")
    projects = [{"id": pid, "name": pname, "domain_id": world.domain["id"], "enabled": True, "is_domain": False,
                 "parent_id": world.domain["id"], "description": ""}
                for pid, pname in sorted(world.projects.items()) if pid in caller.project_ids
                and (not name or pname == name)]
    return 200, {"projects": projects, "links": {"self": "/v3/projects", "next": None, "previous": None}}, {}
