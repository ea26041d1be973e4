"""Every module must be in the hwcloud action group, so module_defaults group/hwcloud.taskops.hwcloud covers it."""
import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_action_group_lists_exactly_the_modules_on_disk():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    group = set(runtime["action_groups"]["hwcloud"])
    modules_dir = os.path.join(ROOT, "plugins", "modules")
    names = os.listdir(modules_dir) if os.path.isdir(modules_dir) else []
    on_disk = set(name[:-3] for name in names if name.endswith(".py") and name != "__init__.py")
    assert group == on_disk, "add to or remove from meta/runtime.yml action_groups.hwcloud: %s" % sorted(
        group ^ on_disk)
