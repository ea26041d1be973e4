"""maintenance_window_max_duration: durations and absolute times to a UTC deadline; everything else refused."""
from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.hwcloud.taskops.plugins.plugin_utils.window_deadline import (
    DeadlineError, deadline_from, format_utc, parse_utc,
)

NOW = datetime(2026, 11, 23, 22, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("value, seconds", [
    (3600, 3600), (1.5, 1.5), ("7200", 7200), ("90m", 5400), ("4h", 14400), ("1h30m", 5400), ("2d", 172800),
    ("45s", 45), ("1d2h3m4s", 93784), (" 4H ", 14400), ("30d", 30 * 86400),
])
def test_durations(value, seconds):
    assert deadline_from(value, NOW) == NOW + timedelta(seconds=seconds)


@pytest.mark.parametrize("value, expected", [
    ("2026-11-24T03:00:00Z", datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)),
    ("2026-11-24T11:00:00+08:00", datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)),
])
def test_absolute_times_in_utc(value, expected):
    assert deadline_from(value, NOW) == expected


@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_means_no_deadline(value):
    assert deadline_from(value, NOW) is None


@pytest.mark.parametrize("value, words", [
    (0, "duration"), (-5, "duration"), (float("nan"), "duration"), (float("inf"), "duration"), (10 ** 12, "duration"),
    (True, "duration"), ("31d", "duration"), ("4 hours", "duration"), ("h", "duration"), ("4h30", "duration"),
    ("ünïcødé", "duration"), ("2026-11-23T21:00:00Z", "already past"), ("2026-11-24T03:00:00", "no time zone"),
    ("2027-06-01T00:00:00Z", "duration"), ([1], "duration"), ({"h": 1}, "duration"),
])
def test_bad_values_are_clear_errors(value, words):
    with pytest.raises(DeadlineError) as info:
        deadline_from(value, NOW)
    assert words in str(info.value)


def test_stored_form_round_trips():
    assert parse_utc(format_utc(NOW)) == NOW
    assert parse_utc(None) is None and parse_utc("garbage") is None
