"""requirements.txt (for execution environments) must name exactly the third-party libraries the plugins import."""
import ast
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def third_party_imports():
    names = set()
    for folder, dummy, files in os.walk(os.path.join(ROOT, "plugins")):
        for name in files:
            if not name.endswith(".py"):
                continue
            with open(os.path.join(folder, name)) as handle:
                tree = ast.parse(handle.read())
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names.add(node.module.split(".")[0])
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    return sorted(n for n in names if n not in stdlib and n not in ("ansible", "ansible_collections"))


def test_requirements_match_imports():
    with open(os.path.join(ROOT, "requirements.txt")) as handle:
        listed = sorted(re.split(r"[<>=!~ ]", line.strip())[0].lower() for line in handle
                        if line.strip() and not line.startswith("#"))
    assert listed == third_party_imports() == ["jsonschema", "requests"]


def test_the_version_has_one_source():
    """galaxy.yml holds the version; the User-Agent constant is written from it by tests/utils/release."""
    import yaml

    from ansible_collections.hwcloud.taskops.plugins.module_utils import transport
    with open(os.path.join(ROOT, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    assert transport.COLLECTION_VERSION == version
    assert transport.USER_AGENT.startswith("hwcloud.taskops/%s " % version)
