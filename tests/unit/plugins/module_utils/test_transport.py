"""Retry policy and transport against a real local HTTP server: 429 + Retry-After, 5xx, resets, slow answers."""
import random

import pytest

from ansible_collections.hwcloud.taskops.plugins.module_utils.errors import HwCloudError
from ansible_collections.hwcloud.taskops.plugins.module_utils.retry import RetryPolicy, Throttle, parse_retry_after
from ansible_collections.hwcloud.taskops.plugins.module_utils.transport import USER_AGENT, Transport


class Sleeps(list):
    def __call__(self, seconds):
        self.append(seconds)


def make_transport(retries=3, timeout=5.0, max_retry_time=120.0):
    sleeps = Sleeps()
    transport = Transport(timeout=timeout, retries=retries, max_retry_time=max_retry_time, sleep=sleeps,
                          clock=lambda: sum(sleeps), rng=random.Random(7), environ={})
    return transport, sleeps


def send(transport, server, method="GET", idempotent=True):
    return transport.send(method, server.url + "/x", lambda: {"Content-Type": "application/json"}, b"",
                          "roma", "list tasks", idempotent)


def test_429_honours_retry_after_then_succeeds(server):
    server.script = [{"status": 429, "headers": {"Retry-After": "3"}, "body": b'{"error_code":"APIGW.0308"}'},
                     {"status": 200, "body": {"ok": True}}]
    transport, sleeps = make_transport()
    response = send(transport, server)
    assert response.status == 200
    assert len(server.requests) == 2 and transport.request_count == 2
    assert 3.0 <= sleeps[0] <= 3.5


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_reads_retry_5xx_with_growing_full_jitter(server, status):
    server.script = [{"status": status}] * 3 + [{"status": 200, "body": {}}]
    transport, sleeps = make_transport(retries=3)
    assert send(transport, server).status == 200
    assert transport.request_count == 4 and len(sleeps) == 3
    for attempt, wait in enumerate(sleeps, 1):
        assert 0 <= wait <= 0.5 * 2 ** (attempt - 1)


def test_attempts_are_bounded(server):
    server.script = [{"status": 503}] * 10
    transport, sleeps = make_transport(retries=2)
    assert send(transport, server).status == 503
    assert transport.request_count == 3 and len(sleeps) == 2


def test_total_time_is_bounded(server):
    server.script = [{"status": 429, "headers": {"Retry-After": "50"}}] * 5
    transport, sleeps = make_transport(retries=5, max_retry_time=60)
    assert send(transport, server).status == 429
    assert transport.request_count == 2  # a second 50 s wait would pass 60 s


def test_write_is_not_repeated_after_5xx(server):
    server.script = [{"status": 502}]
    transport, sleeps = make_transport()
    assert send(transport, server, method="POST", idempotent=False).status == 502
    assert transport.request_count == 1 and not sleeps


def test_write_is_retried_after_throttling(server):
    server.script = [{"status": 429, "headers": {"Retry-After": "1"}}, {"status": 200, "body": {}}]
    transport, sleeps = make_transport()
    assert send(transport, server, method="POST", idempotent=False).status == 200
    assert len(server.requests) == 2


def test_read_retried_after_connection_reset(server):
    server.script = [{"reset": True}, {"status": 200, "body": {}}]
    transport, sleeps = make_transport()
    assert send(transport, server).status == 200
    assert len(server.requests) == 2


def test_write_with_reset_is_outcome_unknown(server):
    server.script = [{"reset": True}]
    transport, sleeps = make_transport()
    with pytest.raises(HwCloudError) as info:
        send(transport, server, method="POST", idempotent=False)
    assert info.value.outcome_unknown
    assert len(server.requests) == 1


def test_slow_read_times_out_and_is_retried(server):
    server.script = [{"delay": 1.5, "status": 200}, {"status": 200, "body": {"fast": 1}}]
    transport, sleeps = make_transport(timeout=0.5)
    response = send(transport, server)
    assert response.status == 200 and response.json("roma", "x") == {"fast": 1}


def test_slow_write_is_outcome_unknown(server):
    server.script = [{"delay": 1.5, "status": 200}]
    transport, sleeps = make_transport(timeout=0.5)
    with pytest.raises(HwCloudError) as info:
        send(transport, server, method="POST", idempotent=False)
    assert info.value.outcome_unknown and "timeout" in str(info.value)


def test_refused_connection_is_safe_to_retry_even_for_writes():
    transport, sleeps = make_transport(retries=1)
    with pytest.raises(HwCloudError) as info:
        transport.send("POST", "http://127.0.0.1:9/x", dict, b"{}", "drs", "batch pause", False)
    assert not info.value.outcome_unknown
    assert transport.request_count == 2
    # The cause in words, not urllib3's object dump.
    assert "connection refused (nothing listens on that port" in info.value.message
    assert "HTTPConnection" not in info.value.message and "object at 0x" not in info.value.message


def test_user_agent_names_the_collection(server):
    transport, dummy = make_transport()
    send(transport, server)
    assert server.requests[0]["headers"]["User-Agent"] == USER_AGENT
    assert USER_AGENT.startswith("hwcloud.taskops/")


def test_validate_certs_false_warns_and_ca_bundle_env(tmp_path):
    warnings = []
    Transport(validate_certs=False, warn=warnings.append, environ={})
    assert warnings and "not verified" in warnings[0]
    bundle = tmp_path / "ca.pem"
    assert Transport(environ={"HW_CA_BUNDLE": str(bundle)}).verify == str(bundle)
    assert Transport(ca_bundle="/x.pem", environ={"HW_CA_BUNDLE": "/y.pem"}).verify == "/x.pem"


def test_parse_retry_after():
    assert parse_retry_after("2") == 2.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("100000") == 60.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470) == 10.0


def test_policy_stops_at_attempts_and_time():
    policy = RetryPolicy(retries=2, max_time=10, rng=random.Random(1))
    assert policy.next_delay(1, started=0, now=0) is not None
    assert policy.next_delay(3, started=0, now=0) is None
    assert policy.next_delay(1, started=0, now=9.9, retry_after=5) is None


def test_timeout_bounds_the_whole_request_not_each_read(server):
    """A server that dribbles its answer (4 bytes every 50 ms) cannot hold a read past the timeout."""
    import time as real_time
    server.script = [{"status": 200, "body": b'{"padding": "' + b"x" * 400 + b'"}', "dribble": 0.05}]
    transport = Transport(timeout=1.0, retries=0, environ={})
    started = real_time.monotonic()
    with pytest.raises(HwCloudError) as info:
        send(transport, server)
    assert real_time.monotonic() - started < 2.5
    assert "within the timeout" in info.value.message


def test_a_dribbled_answer_to_a_write_is_an_unknown_outcome(server):
    server.script = [{"status": 200, "body": b'{"padding": "' + b"x" * 400 + b'"}', "dribble": 0.05}]
    transport = Transport(timeout=1.0, retries=3, environ={})
    with pytest.raises(HwCloudError) as info:
        send(transport, server, method="POST", idempotent=False)
    assert info.value.outcome_unknown and len(server.requests) == 1


@pytest.mark.parametrize("method, idempotent", [("GET", True), ("POST", False)])
def test_timeout_bounds_an_answer_whose_headers_dribble(server, method, idempotent):
    """Status line and headers 4 bytes every 50 ms: each socket read is quick, the whole is not."""
    import time as real_time
    server.script = [{"status": 200, "body": b"{}", "dribble_headers": 0.05}]
    transport = Transport(timeout=1.0, retries=0, environ={})
    started = real_time.monotonic()
    with pytest.raises(HwCloudError) as info:
        send(transport, server, method=method, idempotent=idempotent)
    assert real_time.monotonic() - started < 2.0
    assert "within the timeout" in info.value.message
    assert info.value.outcome_unknown is (not idempotent)
    assert len(server.requests) == 1


def test_the_deadline_does_not_cut_a_connection_reused_after_it(server):
    """The watch of one request never reaches the keep-alive connection the next request uses."""
    import time as real_time
    transport = Transport(timeout=0.5, retries=0, environ={})
    for dummy in range(3):
        assert send(transport, server).status == 200
        real_time.sleep(0.6)
    assert send(transport, server).status == 200


def test_throttle_halves_on_429_and_grows_back_as_answers_flow():
    throttle = Throttle(8, clock=lambda: 0.0, sleep=lambda s: None)
    steps = []
    for throttled in (True, True) + (False,) * 2 + (False,) * 3 + (False,) * 4:
        throttle.enter()
        throttle.leave(throttled)
        steps.append(throttle.limit)
    assert steps == [4, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5]


def test_one_429_holds_off_every_thread_until_its_retry_after():
    now = [100.0]
    slept = []
    throttle = Throttle(4, clock=lambda: now[0], sleep=slept.append)
    throttle.enter()
    throttle.leave(True, retry_after=3.0)
    throttle.enter()  # another thread's next request
    assert slept == [3.0]
    now[0] = 104.0
    throttle.leave()
    throttle.enter()
    assert slept == [3.0]


def test_the_throttle_bounds_requests_in_flight_across_threads():
    import threading
    import time as real_time
    throttle = Throttle(6)
    throttle.enter()
    throttle.leave(True)  # the limit is now 3
    peak, active, lock = [0], [0], threading.Lock()

    def call():
        throttle.enter()
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        real_time.sleep(0.05)
        with lock:
            active[0] -= 1
        throttle.leave()

    threads = [threading.Thread(target=call) for dummy in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Without the 429 all 6 would run at once; after it, 3, growing by one as answers flow (3 + 4 + 5 = 12 calls).
    assert 3 <= peak[0] <= 5 and throttle.limit == 6


def test_throttled_retries_do_not_use_up_the_retries_budget(server):
    throttled = {"status": 429, "headers": {"Retry-After": "1"}, "body": b'{"error_code":"APIGW.0308"}'}
    server.script = [dict(throttled) for dummy in range(4)] + [{"status": 200, "body": {"ok": True}}]
    transport, sleeps = make_transport(retries=1)
    assert send(transport, server).status == 200
    assert len(server.requests) == 5 and len(sleeps) == 4


class FakeTime:
    def __init__(self):
        self.now = 100.0
        self.slept = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_after_a_429_requests_leave_at_the_pace_the_gateway_let_through():
    fake = FakeTime()
    throttle = Throttle(4, clock=fake.clock, sleep=fake.sleep)
    for dummy in range(12):  # twelve answers within the last second...
        throttle.enter()
        fake.now += 0.01
        throttle.leave()
    throttle.enter()
    throttle.leave(True, retry_after=1.0)  # ...then the gateway says no
    assert throttle.rate == 10.0  # five sixths of what got through
    fake.slept[:] = []
    for dummy in range(3):
        throttle.enter()
        throttle.leave()
    assert fake.slept[0] == 1.0  # the shared Retry-After first
    assert len(fake.slept) == 3 and all(0.09 < s <= 0.1 for s in fake.slept[1:])  # then one per 1/rate seconds


def test_the_pace_creeps_up_while_answers_flow_and_drops_on_each_429():
    fake = FakeTime()
    throttle = Throttle(4, clock=fake.clock, sleep=fake.sleep)
    for dummy in range(24):
        throttle.enter()
        throttle.leave()
    throttle.enter()
    throttle.leave(True)
    start = throttle.rate
    for dummy in range(int(start) * 10):  # about ten seconds of answers at that pace
        throttle.enter()
        throttle.leave()
    # back to the pace of the 429 (24 answers in the last second) within seconds, then RATE_STEP per second
    assert 24.0 < throttle.rate < 25.0
    before = throttle.rate
    throttle.enter()
    throttle.leave(True)
    assert throttle.rate < before


def test_a_429_before_any_answer_sets_no_pace():
    fake = FakeTime()
    throttle = Throttle(4, clock=fake.clock, sleep=fake.sleep)
    throttle.enter()
    throttle.leave(True, retry_after=2.0)
    assert throttle.rate is None
    throttle.enter()
    throttle.leave()
    throttle.enter()
    assert fake.slept == [2.0]


def test_429s_of_requests_sent_before_the_cut_cut_nothing_more():
    fake = FakeTime()
    throttle = Throttle(16, clock=fake.clock, sleep=fake.sleep)
    for dummy in range(24):
        throttle.leave(sent_at=throttle.enter())
    sent = [throttle.enter() for dummy in range(16)]  # sixteen threads in flight when the gateway fills up
    fake.now += 0.02
    for when in sent:
        throttle.leave(True, retry_after=1.0, sent_at=when)
    assert throttle.throttled == 16
    assert throttle.limit == 8 and throttle.rate == 20.0  # one cut, not sixteen
    fake.now += 2.0
    throttle.leave(True, retry_after=1.0, sent_at=throttle.enter())  # sent after the cut: a new signal
    assert throttle.limit == 4 and throttle.rate < 20.0


def test_a_thread_asleep_for_its_slot_waits_again_when_a_429_moves_the_pause():
    fake = FakeTime()
    throttle = Throttle(4, clock=fake.clock, sleep=fake.sleep)
    for dummy in range(12):
        throttle.leave(sent_at=throttle.enter())
    throttle.leave(True, retry_after=1.0, sent_at=throttle.enter())  # paced at 10/s from now + 1 s
    real_sleep, interrupted = fake.sleep, []

    def sleep_then_another_429(seconds):
        real_sleep(seconds)
        if not interrupted:  # while this thread slept, another one's request came back 429
            interrupted.append(True)
            throttle.leave(True, retry_after=5.0, sent_at=fake.now)
            throttle.active += 1  # that request's slot, which leave() just gave back

    throttle.sleep = sleep_then_another_429
    sent = throttle.enter()
    assert sent >= throttle.resume_at == fake.now  # it did not send into the second pause
