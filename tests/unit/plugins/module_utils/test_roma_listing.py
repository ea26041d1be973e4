"""ROMA listing beyond the offset limit, and waits that list only pending tasks, against a fake listing API
that applies the documented filters and refuses offsets above 20,000."""
import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.adapter import Item
from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError
from ansible_collections.hwcloud.taskops.plugins.module_utils.roma import RomaTasks


class FakeListing:
    def __init__(self, tasks, on_page=None):
        self.tasks = tasks
        self.queries = []
        self.on_page = on_page

    def call(self, service, method, path, operation, query=None, **kwargs):
        self.queries.append(dict(query))
        if int(query["offset"]) > 20000:
            raise HwCloudError("Invalid parameters.", status=400, code="FDI.3002", service=service,
                               operation=operation)
        rows = [t for t in self.tasks
                if all(str(t[k]).lower() == str(query[k]) for k in ("status", "task_type") if k in query)]
        rows.sort(key=lambda t: t["task_id"], reverse=query.get("sort_type") == "DESC")
        page = [dict(t) for t in rows[query["offset"]:query["offset"] + min(query["limit"], 999)]]
        if self.on_page:
            self.on_page(self)
        return {"total": len(rows), "size": len(page), "entities": page}


def tasks(count, kinds=("REALTIME", "TIMING"), statuses=(0, 1)):
    return [{"task_id": "t-%06d" % n, "task_name": "task-%06d" % n, "task_type": kinds[n % len(kinds)],
             "status": statuses[(n // 2) % len(statuses)]} for n in range(count)]


def roma(client, state="stopped"):
    return RomaTasks(client, {"instance_id": "inst-1", "state": state, "all_tasks": True})


@pytest.mark.parametrize("count,calls", [(0, 1), (999, 1), (2500, 3), (20979, 21)])
def test_one_call_per_page_up_to_the_offset_limit(count, calls):
    client = FakeListing(tasks(count))
    assert len(roma(client).list_tasks()) == count
    assert len(client.queries) == calls


def test_fifty_thousand_tasks_are_listed_by_type_then_status_each_exactly_once():
    client = FakeListing(tasks(50000))
    found = roma(client).list_tasks()
    assert sorted(i.id for i in found) == ["t-%06d" % n for n in range(50000)]
    assert max(int(q["offset"]) for q in client.queries) <= 20000
    # 51 pages at the least; the overview page and the two task-type overviews are the price of not knowing.
    assert len(client.queries) <= 56


def test_one_more_task_than_pages_reach_splits_the_listing():
    client = FakeListing(tasks(20980))
    assert len(roma(client).list_tasks()) == 20980
    assert max(int(q["offset"]) for q in client.queries) <= 20000


def test_a_query_no_filter_can_split_is_read_from_both_ends():
    client = FakeListing(tasks(35000, kinds=("REALTIME",), statuses=(0,)))
    found = roma(client).list_tasks({"task_type": "realtime", "status": "0"})
    assert len(set(i.id for i in found)) == 35000
    assert max(int(q["offset"]) for q in client.queries) <= 20000


def test_a_server_that_ignores_sort_type_is_caught_not_trusted():
    client = FakeListing(tasks(35000, kinds=("REALTIME",), statuses=(0,)))
    real_call = client.call
    client.call = lambda *a, **k: real_call(*a, **dict(k, query=dict(k["query"], sort_type="ASC")))
    with pytest.raises(HwCloudError) as caught:
        roma(client).list_tasks({"task_type": "realtime", "status": "0"})
    assert "changed while they were listed" in str(caught.value)


def test_beyond_both_ends_it_fails_on_the_first_page():
    client = FakeListing(tasks(42000, kinds=("REALTIME",), statuses=(1,)))
    with pytest.raises(HwCloudError) as caught:
        roma(client).list_tasks({"task_type": "realtime", "status": "1"})
    assert "offset limit 20000" in str(caught.value) and "no server-side filter is left" in str(caught.value)
    assert len(client.queries) == 1


def test_tasks_of_an_undocumented_type_are_not_silently_missed():
    client = FakeListing(tasks(21000, kinds=("REALTIME", "TIMING", "BATCH")))
    with pytest.raises(HwCloudError) as caught:
        roma(client).list_tasks()
    assert "changed while they were listed (or carry a task type the API does not document)" in str(caught.value)


def test_a_wait_lists_only_tasks_still_in_their_old_status():
    listing = tasks(3000, kinds=("REALTIME",), statuses=(1,))
    pending = [Item(t["task_id"], t["task_name"], "running", kind="realtime") for t in listing[:5]]
    for task in listing[:3] + listing[10:]:
        task["status"] = 0  # three of ours have stopped, and every task we did not touch too
    client = FakeListing(listing)
    current = roma(client).refresh(pending)
    assert client.queries == [{"status": "1", "task_type": "realtime", "limit": 999, "offset": 0}]
    assert [current[i.id].status for i in pending] == ["stopped"] * 3 + ["running"] * 2


def test_a_wait_whose_listing_moved_while_paging_concludes_only_what_it_saw():
    listing = tasks(3000, kinds=("REALTIME",), statuses=(1,))
    pending = [Item(t["task_id"], t["task_name"], "running", kind="realtime") for t in listing]

    def ours_settle(client):  # 500 of ours stop between pages: the offsets shift under the reader
        for task in [t for t in client.tasks if t["status"] == 1][:500]:
            task["status"] = 0

    current = roma(FakeListing(listing, on_page=ours_settle)).refresh(pending)
    seen_running = [i for i, item in current.items() if item is not None and item.status == "running"]
    unknown = [i for i, item in current.items() if item is None]
    assert seen_running and unknown and not [i for i, item in current.items() if item and item.status == "stopped"]
