"""Schedules: which day a fire time closes, schedule checks, and prefect.yaml's deployment."""

from __future__ import annotations

import importlib
from datetime import UTC, date, datetime

import pytest
import yaml

from flows.errors import UserError
from flows.intervals import closed_interval, days_between
from flows.schedule import DEFAULT_CRON, DEFAULT_TIMEZONE, DEPLOYMENT_NAME, check_schedule
from flows.settings import REPO_ROOT


@pytest.mark.parametrize(
    ("fired", "timezone", "day"),
    [
        (datetime(2024, 12, 6, 1, 0, tzinfo=UTC), "UTC", date(2024, 12, 5)),
        # 23:30 UTC on the 5th is already 00:30 on the 6th in Paris: the 5th has closed there
        (datetime(2024, 12, 5, 23, 30, tzinfo=UTC), "Europe/Paris", date(2024, 12, 5)),
        # 03:00 UTC on the 6th is still the 5th in New York: the 4th is the closed day
        (datetime(2024, 12, 6, 3, 0, tzinfo=UTC), "America/New_York", date(2024, 12, 4)),
    ],
)
def test_closed_interval_is_the_day_before_in_the_schedules_zone(
    fired: datetime, timezone: str, day: date
) -> None:
    assert closed_interval(fired, timezone) == day


def test_days_between_runs_in_the_order_asked() -> None:
    forwards = days_between(date(2024, 12, 30), date(2025, 1, 2))
    assert [d.isoformat() for d in forwards] == [
        "2024-12-30",
        "2024-12-31",
        "2025-01-01",
        "2025-01-02",
    ]
    assert days_between(date(2025, 1, 2), date(2024, 12, 30)) == forwards[::-1]
    assert days_between(date(2025, 1, 2), date(2025, 1, 2)) == [date(2025, 1, 2)]


@pytest.mark.parametrize(
    ("cron", "timezone", "message"),
    [("every day", "UTC", "not a cron"), ("0 1 * * *", "Mars/Olympus", "unknown timezone")],
)
def test_bad_schedules_are_refused(cron: str, timezone: str, message: str) -> None:
    with pytest.raises(UserError, match=message):
        check_schedule(cron, timezone)
    check_schedule(DEFAULT_CRON, "Europe/Paris")  # a good one passes


def test_prefect_yaml_deploys_the_served_flow_on_the_default_schedule() -> None:
    config = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text())
    [deployment] = config["deployments"]
    assert deployment["name"] == DEPLOYMENT_NAME
    assert deployment["schedules"] == [{"cron": DEFAULT_CRON, "timezone": DEFAULT_TIMEZONE}]
    path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    flow = getattr(module, name)
    assert flow.name == "wirehouse-scheduled"
    assert set(deployment["parameters"]) <= set(flow.parameters.properties)
