"""Flow-level retries of crashed runs, and their bound.

Prefect retries a flow run (`retries=`) only when it fails with an exception; a run that
Crashed (the process killed, out of memory, a lost machine) is never retried by Prefect
(PrefectHQ/prefect#10211, #11431). deploy/automation-retry-crashed.yaml is an automation
that reschedules such a run (the same flow run, `AwaitingRetry`), and a worker runs it
again: safe, since a rerun of ingest, backfill, reprocess or pull skips what is loaded.

An automation has no count: a run that always crashes (it runs out of memory on the same
batch) would be rescheduled for ever. So each of the four flows asks first, before it
touches the database, how many times its flow run has crashed already; past
MAX_CRASH_RETRIES it ends Failed at once with a message saying so, and a Failed run is
not rescheduled. See docs/ORCHESTRATION.md, "Crashes".
"""
from __future__ import annotations

from prefect.states import Failed, State, StateType

# Times a crashed flow run is run again: with the first attempt, at most 1 + 2 attempts.
MAX_CRASH_RETRIES = 2


def count_crashes(history: list[State]) -> int:
    """The attempts that died: Crashed states of a flow run's history (oldest first) that end
    an attempt, i.e. come after a Running state. A second report of the same crash (a run
    Crashed again while it waited to be retried) is not another attempt."""
    crashes, ran = 0, False
    for s in history:
        if s.type == StateType.RUNNING:
            ran = True
        elif s.type == StateType.CRASHED and ran:
            crashes, ran = crashes + 1, False
    return crashes


def crash_guard(crashes: int, flow_name: str, run_id: str | None = None) -> State | None:
    """The Failed state a flow run that has crashed `crashes` times ends in at once
    (more than MAX_CRASH_RETRIES), or None: go on."""
    if crashes <= MAX_CRASH_RETRIES:
        return None
    return Failed(message=(
        f"{flow_name} run crashed {crashes} times; not retried again (at most {MAX_CRASH_RETRIES} "
        f"retries of a crashed run): look at the logs of its earlier attempts and the worker's log for "
        f"what killed it (out of memory? a killed worker?), and at `policy-news status` (runs: "
        f"one row per attempt{f' of {run_id}' if run_id else ''}); nothing was written by this attempt. "
        f"Fix the cause, then run the deployment again: it resumes"))


def flow_run_history(flow_run_id: str) -> list[State]:
    """The states the Prefect server holds for a flow run, oldest first."""
    from uuid import UUID

    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return sorted(client.read_flow_run_states(UUID(flow_run_id)), key=lambda s: s.timestamp)


def refuse_if_crashed_too_often(flow_name: str) -> State | None:
    """At the start of a flow: the Failed state to return if this flow run has crashed more
    than MAX_CRASH_RETRIES times, else None. Reads the run's state history; if the server
    cannot say, counts every earlier run of this flow run (prefect.runtime's run_count) as a
    crash (only crashed runs are rescheduled)."""
    from prefect import get_run_logger
    from prefect.runtime import flow_run

    run_id, runs = flow_run.id, times_run()
    if not run_id or runs <= 1:  # not inside a flow run, or its first run: no history to read
        return None
    try:
        crashes = count_crashes(flow_run_history(run_id))
    except Exception as e:
        crashes = max(runs - 1, 0)
        get_run_logger().warning("could not read the flow run's state history (%s): counting its %d "
                                 "earlier run(s) as crashes", e, crashes)
    refused = crash_guard(crashes, flow_name, run_id)
    if crashes and refused is None:
        get_run_logger().warning("this flow run crashed %d time(s) before: this is retry %d of at most %d",
                                 crashes, crashes, MAX_CRASH_RETRIES)
    return refused


def times_run() -> int:
    """How many times this flow run has started running, this time included (1: never before)."""
    from prefect.runtime import flow_run

    return flow_run.run_count


def last_end(history: list[State]) -> str | None:
    """The name of the last final state in a flow run's history (how its previous attempt
    ended: `Crashed`, say), or None."""
    ends = [s for s in history if s.is_final()]
    return ends[-1].name if ends else None
