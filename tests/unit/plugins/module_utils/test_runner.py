"""The shared module body: one way of selecting, excludes, and the result's counts."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import Item
from ansible_collections.hwcloud.taskops.plugins.module_utils.runner import _returned, _select, require_selection


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, **params):
        self.params = params
        self.api_requests = 0

    def fail_json(self, msg, **dummy):
        raise Failed(msg)


@pytest.mark.parametrize("params,optional,error", [
    ({"ids": ["a"]}, False, None),
    ({"names": ["a"]}, False, None),
    ({"everything": True}, False, None),
    ({"everything": True, "filters": {"x": 1}}, False, None),
    ({}, False, "nothing selected: give ids or names, or everything: true"),
    ({}, True, None),
    ({"filters": {"x": 1}}, True, None),
    ({"ids": ["a"], "everything": True}, False, "cannot be combined"),
    ({"ids": ["a"], "filters": {"x": 1}}, False, "filters only apply with everything: true"),
    ({"plan": [{}]}, False, None),
    ({"plan": [{}], "ids": ["a"]}, False, "plan already names the items: leave out ids"),
])
def test_one_way_of_selecting(params, optional, error):
    module = FakeModule(**params)
    if error:
        with pytest.raises(Failed, match=error):
            require_selection(module, "ids", "names", "everything", optional=optional)
    else:
        require_selection(module, "ids", "names", "everything", optional=optional)


class Adapter:
    result_key = "things"

    def select(self):
        return [Item("1", "one", "x"), Item("2", "two", "x"), Item("3", "three", "x")]


@pytest.mark.parametrize("ids,names,left", [
    (None, None, ["1", "2", "3"]), (["1"], None, ["2", "3"]), (None, ["two"], ["1", "3"]),
    (["1"], ["three"], ["2"]), (["nope"], ["nope"], ["1", "2", "3"]),
])
def test_excludes_apply_to_any_selection(ids, names, left):
    module = FakeModule(exclude_ids=ids, exclude_names=names)
    assert [i.id for i in _select(module, Adapter())] == left


class Report:
    def __init__(self, name, result, written=False):
        self.name, self.result, self.written = name, result, written


REPORTS = [Report("a", "changed", True), Report("b", "unchanged"), Report("c", "failed"),
           Report("d", "failed", True), Report("e", "would_change"), Report("f", "would_fail")]


@pytest.mark.parametrize("which, names", [
    ("all", "abcdef"), ("changed", "ade"), ("failed", "cdf"), ("none", ""),
])
def test_return_items_keeps_what_was_asked(which, names):
    assert "".join(r.name for r in _returned(REPORTS, which)) == names
