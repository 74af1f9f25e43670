"""What a run did: the summary it prints, records in `runs` and publishes as an artifact,
and the Prefect state it ends in.

| `runs.status` | flow run state | when |
|---|---|---|
| completed | Completed | every input loaded or skipped as already loaded |
| completed_with_rejects | Completed, named `CompletedWithRejects` | the rest loaded, some inputs rejected |
| stopped | Completed | stopped after max_batches, as asked (a rerun goes on) |
| completed_with_errors | Failed | some batches failed after their retries, the others loaded |
| failed | Failed | a path named was missing, or nothing loaded and batches failed |
| crashed | (Crashed, or whatever the server last heard) | marked by the next run on the database |

A crashed flow run rescheduled by deploy/automation-retry-crashed.yaml runs again under the
same run id: a new row in `runs` (`attempt` 2, 3), the crashed attempts' rows kept
(flows/crash_retries.py bounds the retries).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.states import Completed

from transforms.pipeline import PIPELINE_VERSION
from warehouse.load import finish_run, mark_crashed, start_run, table_counts, unfinished_runs


@dataclass
class RunSummary:
    run_id: str
    flow_name: str
    db: str
    status: str = "running"
    seen: int = 0
    loaded: int = 0
    skipped: int = 0
    rejected: int = 0
    set_aside: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    failed_batches: list[str] = field(default_factory=list)
    n_bytes: int = 0
    stopped_early: bool = False  # a run told to stop after some batches (backfill max_batches)
    notes: list[str] = field(default_factory=list)  # facts of the run a reader needs (date window, ...)
    pipeline_version: str = PIPELINE_VERSION  # the version the run's rows are stamped with
    writer: dict = field(default_factory=dict)  # how often the file was opened and let go (Writer.stats)

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def exit_code(self) -> int:
        if self.status == "failed" and self.loaded == 0:
            return 2
        return 1 if (self.rejected or self.failed_batches or self.missing) else 0

    def reject_reasons(self) -> dict[str, int]:
        """Inputs rejected this run per reason, most frequent first."""
        return dict(Counter(reason for _, reason, _ in self.rejects).most_common())

    def markdown(self) -> str:
        lines = [f"# {self.flow_name} run `{self.run_id}`", "",
                 f"status **{self.status}** · pipeline {self.pipeline_version} · database `{self.db}`", "",
                 "| documents seen | loaded | skipped (already loaded) | rejected |", "|---|---|---|---|",
                 f"| {self.seen} | {self.loaded} | {self.skipped} | {self.rejected} |", "",
                 *[f"- {n}" for n in self.notes], *([""] if self.notes else []),
                 "| table | rows in database |", "|---|---|"]
        lines += [f"| {t} | {n} |" for t, n in self.rows.items()]
        lines += ["", "| stage | seconds |", "|---|---|"]
        lines += [f"| {s} | {v:.2f} |" for s, v in self.timings.items()]
        if self.rejects:
            lines += ["", "| reject reason | inputs |", "|---|---|"]
            lines += [f"| {r} | {n} |" for r, n in self.reject_reasons().items()]
            lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
            lines += [f"| {u} | {r} | {d} |" for u, r, d in self.rejects[:200]]
        if self.missing:
            lines += ["", "Missing (no file, folder or glob match):"] + [f"- `{m}`" for m in self.missing]
        if self.failed_batches:
            lines += ["", "Failed batches:"] + [f"- {b}" for b in self.failed_batches]
        return "\n".join(lines)


def begin_run(con, flow_name: str, pipeline_version: str, parameters: dict) -> str:
    """Mark the runs left `running` as crashed (the caller holds the database's write slot,
    so no other run is live), then record this one under its Prefect flow-run id."""
    stale = unfinished_runs(con)
    if stale:
        states = flow_run_states(stale)
        own = flow_run_id()
        if own in states:  # this flow run's earlier attempt, rescheduled after a crash: the server
            states[own] = previous_attempt_end(own)  # now says Running (this attempt), not how it ended
        mark_crashed(con, states)
        get_run_logger().warning("%d earlier run(s) never finished, marked crashed: %s", len(stale),
                                 ", ".join(f"{r} ({s or 'state unknown'})" for r, s in states.items()))
    return start_run(con, flow_name, pipeline_version, parameters, run_id=flow_run_id())


def previous_attempt_end(run_id: str) -> str | None:
    """How this flow run's previous attempt ended, as the server recorded it (`Crashed`), or None."""
    from flows.crash_retries import flow_run_history, last_end

    try:
        return last_end(flow_run_history(run_id))
    except Exception as e:
        get_run_logger().warning("could not read the flow run's state history: %s", e)
        return None


def flow_run_id() -> str | None:
    from prefect.context import FlowRunContext

    ctx = FlowRunContext.get()
    return str(ctx.flow_run.id) if ctx and ctx.flow_run else None


def flow_run_states(run_ids: list[str]) -> dict[str, str | None]:
    """run_id -> the name of the state Prefect holds for that flow run (None: not a flow-run id,
    or not on this server)."""
    from uuid import UUID

    from prefect.client.orchestration import get_client

    out: dict[str, str | None] = {r: None for r in run_ids}
    try:
        with get_client(sync_client=True) as client:
            for run_id in run_ids:
                try:
                    state = client.read_flow_run(UUID(run_id)).state
                except Exception:  # an old random id, or a run another server knows
                    continue
                out[run_id] = state.name if state else None
    except Exception as e:  # no API: the rows are marked all the same
        get_run_logger().warning("could not read flow-run states from Prefect: %s", e)
    return out


def finish(con, summary: RunSummary) -> RunSummary:
    """Record the run's end in `runs`, log a WARNING per reject reason, publish the summary artifact."""
    summary.status = (
        "failed" if summary.missing or (summary.failed_batches and not summary.loaded) else
        "completed_with_errors" if summary.failed_batches else
        "stopped" if summary.stopped_early else
        "completed_with_rejects" if summary.rejected else "completed")
    summary.rows = table_counts(con)
    finish_run(con, summary.run_id, summary.status, summary.seen, summary.loaded, summary.skipped,
               summary.rejected, summary.timings)
    logger = get_run_logger()
    for path in summary.missing:
        logger.error("no file, folder or glob match at %s: nothing read from it", path)
    examples = {}
    for uri, reason, detail in summary.rejects:
        examples.setdefault(reason, (uri, detail))
    for reason, n in summary.reject_reasons().items():
        uri, detail = examples[reason]
        logger.warning("%d input(s) rejected: %s (e.g. %s: %s)", n, reason, uri, detail)
    try:
        create_markdown_artifact(key=f"{summary.flow_name}-summary", markdown=summary.markdown(),
                                 description=f"{summary.flow_name}: {summary.loaded} loaded, "
                                             f"{summary.skipped} skipped, {summary.rejected} rejected")
    except Exception as e:  # an artifact is a report, not the work: never fail a run for it
        logger.warning("could not create the summary artifact: %s", e)
    return summary


class RunFailed(RuntimeError):
    """The run ends Failed; carries its summary so the CLI can still report it."""

    def __init__(self, message: str, summary: RunSummary):
        super().__init__(message)
        self.summary = summary


class BatchesFailed(RunFailed):
    """Some batches failed after their retries; the others are loaded."""

    def __init__(self, summary: RunSummary):
        super().__init__(f"{len(summary.failed_batches)} batch(es) failed: {summary.failed_batches[:3]}", summary)


class InputsMissing(RunFailed):
    """A path the run was given does not exist (a scheduled run's inbox folder, say)."""

    def __init__(self, summary: RunSummary):
        super().__init__(f"no file, folder or glob match at {', '.join(summary.missing)} "
                         f"(create it, or correct the run's parameters)", summary)


def final_state(summary: RunSummary):
    """What a flow returns: its summary, in the state that tells the truth (table above).
    Raises RunFailed for a Failed run."""
    if summary.failed_batches:
        raise BatchesFailed(summary)
    if summary.missing:
        raise InputsMissing(summary)
    if summary.rejected:
        reasons = ", ".join(f"{n} {r}" for r, n in summary.reject_reasons().items())
        return Completed(name="CompletedWithRejects", data=summary,
                         message=f"{summary.loaded} document(s) loaded; {summary.rejected} input(s) rejected: {reasons}")
    return summary


def outcomes_artifact(con) -> None:
    """The targets and their verdicts (`target_outcomes`) as a markdown artifact, so that a
    scheduled run shows which targets a new report settled."""
    from warehouse.report import outcomes_markdown

    try:
        create_markdown_artifact(key="target-outcomes", markdown=outcomes_markdown(con),
                                 description="targets with an indicator and a deadline, and whether a later document says they were met")
    except Exception as e:  # a report, not the work: never fail a run for it
        get_run_logger().warning("could not create the target outcomes artifact: %s", e)
