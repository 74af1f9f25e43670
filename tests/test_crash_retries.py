"""Issue 17: crashed runs are rescheduled by an automation (deploy/automation-retry-crashed.yaml),
the flows bound it (flows/crash_retries.py), and `runs` keeps a row per attempt (migration 010).
The end-to-end story against a real server is in tests/test_prefect_server.py."""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from prefect.states import Crashed, Failed, Pending, Running, Scheduled

from flows.crash_retries import MAX_CRASH_RETRIES, count_crashes, crash_guard, last_end
from tests.conftest import ROOT
from warehouse.db import connect
from warehouse.load import finish_run, mark_crashed, start_run


def history(*states):
    """States a second apart, as the server would hold them."""
    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    for k, s in enumerate(states):
        s.timestamp = t0 + dt.timedelta(seconds=k)
    return list(states)


def test_the_retry_automation_is_a_valid_prefect_automation_that_reschedules_the_same_crashed_run():
    import yaml
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore
    from prefect.states import StateType

    from flows.backfill import backfill_flow
    from flows.ingest import ingest_flow
    from flows.pull import pull_flow
    from flows.reprocess import reprocess_flow

    automation = AutomationCore.model_validate(
        yaml.safe_load((ROOT / "deploy" / "automation-retry-crashed.yaml").read_text()))
    trigger = automation.trigger
    # after a Crashed (never Failed: it would fail the same way) and nothing else for a minute
    assert trigger.after == {"prefect.flow-run.Crashed"} and trigger.posture == "Proactive"
    assert trigger.expect == {"prefect.flow-run.*"} and trigger.within == dt.timedelta(seconds=60)
    assert trigger.for_each == {"prefect.resource.id"}  # one bucket per flow run
    assert trigger.match.root == {"prefect.resource.id": "prefect.flow-run.*"}
    assert trigger.match_related.root["prefect.resource.name"] == [
        f.name for f in (ingest_flow, backfill_flow, reprocess_flow, pull_flow)]
    (action,) = automation.actions
    assert isinstance(action, ChangeFlowRunState)  # the same flow run, not a new one
    assert (action.state, action.name, action.force) == (StateType.SCHEDULED, "AwaitingRetry", False)
    assert "rescheduled" in action.message


def test_the_guard_lets_a_run_go_on_up_to_the_limit_and_fails_it_past_it():
    assert MAX_CRASH_RETRIES == 2
    for crashes in range(MAX_CRASH_RETRIES + 1):
        assert crash_guard(crashes, "backfill") is None
    state = crash_guard(MAX_CRASH_RETRIES + 1, "backfill", "0b6e-run")
    assert state.is_failed()
    assert state.message.startswith("backfill run crashed 3 times; not retried again (at most 2 retries")
    assert "0b6e-run" in state.message and "look at" in state.message


def test_crashes_are_counted_in_the_state_history_and_a_manual_rerun_of_a_failure_is_not_one():
    crashed_twice = history(Scheduled(), Pending(), Running(), Crashed(), Scheduled(name="AwaitingRetry"),
                            Pending(), Running(), Crashed(), Scheduled(name="AwaitingRetry"), Pending(), Running())
    assert count_crashes(crashed_twice) == 2
    assert crash_guard(count_crashes(crashed_twice), "ingest") is None
    assert last_end(crashed_twice) == "Crashed"
    # a Failed run retried by hand from the UI is not a crash
    failed_then_retried = history(Scheduled(), Pending(), Running(), Failed(), Scheduled(name="AwaitingRetry"),
                                  Pending(), Running())
    assert count_crashes(failed_then_retried) == 0
    assert last_end(failed_then_retried) == "Failed"
    assert last_end(history(Scheduled(), Pending(), Running())) is None
    assert count_crashes(history(*[s for _ in range(3) for s in (Running(), Crashed())])) == 3
    # the worker's second report of one crash, on the run waiting for its retry, is not an attempt
    reported_twice = history(Running(), Crashed(), Scheduled(name="AwaitingRetry"), Crashed(),
                             Scheduled(name="AwaitingRetry"), Pending(), Running())
    assert count_crashes(reported_twice) == 1


def test_runs_keeps_a_row_per_attempt_of_a_rescheduled_run(tmp_path):
    db = tmp_path / "attempts.duckdb"
    con = connect(db)
    try:
        other = start_run(con, "ingest", "1.0", {"paths": ["a"]})
        finish_run(con, other, "completed", 1, 1, 0, 0)
        run_id = "6f1c2d3e-0000-4000-8000-000000000017"
        assert start_run(con, "backfill", "1.0", {"archive": "x"}, run_id=run_id) == run_id
        mark_crashed(con, {run_id: "Crashed"})  # what the next attempt's begin_run does
        start_run(con, "backfill", "1.0", {"archive": "x"}, run_id=run_id)
        finish_run(con, run_id, "completed", 10, 6, 4, 0)
    finally:
        con.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT attempt, status, prefect_state, docs_loaded, finished_at IS NULL FROM runs "
                           "WHERE run_id = ? ORDER BY attempt", [run_id]).fetchall() == [
            (1, "crashed", "Crashed", None, True), (2, "completed", None, 6, False)]
        assert con.execute("SELECT attempt, status FROM runs WHERE run_id = ?", [other]).fetchall() == [
            (1, "completed")]
    finally:
        con.close()


def test_a_database_from_before_migration_010_gets_attempt_1_on_its_runs(tmp_path):
    from warehouse.db import migrate, migrations

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_migrations (version INTEGER, name VARCHAR, applied_at TIMESTAMPTZ)")
    for version, name, sql in migrations():
        if version < 10:
            con.execute(sql)
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO runs (run_id, flow_name, started_at, status, pipeline_version) "
                "VALUES ('old', 'ingest', now(), 'completed', '0.9')")
    from warehouse.views import status_report

    report = status_report(con)  # `policy-news status` opens it read-only: no migration yet
    assert "== last runs\n(not in this database yet" in report and "== rejects\n┌" in report
    assert migrate(con) == ["010_runs_attempts.sql"]
    assert "== last runs\n┌" in status_report(con)
    assert con.execute("SELECT run_id, attempt FROM runs").fetchall() == [("old", 1)]
    con.close()


@pytest.mark.prefect
@pytest.mark.timeout(300)
def test_a_flow_run_that_crashed_too_often_ends_failed_at_once_without_touching_the_database(tmp_path, monkeypatch):
    import flows.crash_retries
    from flows.backfill import backfill_flow

    crashes = history(*[s for _ in range(MAX_CRASH_RETRIES + 1) for s in (Running(), Crashed())], Running())
    monkeypatch.setattr(flows.crash_retries, "flow_run_history", lambda run_id: crashes)
    monkeypatch.setattr(flows.crash_retries, "times_run", lambda: MAX_CRASH_RETRIES + 2)  # as the history says
    db = tmp_path / "never.duckdb"
    state = backfill_flow(archive=str(tmp_path / "no-archive"), db=str(db), return_state=True)
    assert state.is_failed()
    assert state.message.startswith(f"backfill run crashed {MAX_CRASH_RETRIES + 1} times; not retried again")
    assert not db.exists()  # refused before the database (or the missing archive) was looked at
    # under the limit the same flow goes on: here to the missing archive
    monkeypatch.setattr(flows.crash_retries, "flow_run_history", lambda run_id: crashes[:-3])
    state = backfill_flow(archive=str(tmp_path / "no-archive"), db=str(db), return_state=True)
    assert state.is_failed() and "no archive at" in state.message
