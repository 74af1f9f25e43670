"""What a run did: the summary it prints, records in `runs` and publishes as an artifact."""
from __future__ import annotations

from dataclasses import dataclass, field

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact

from transforms.pipeline import PIPELINE_VERSION
from warehouse.load import finish_run, table_counts


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

    def add_time(self, stage: str, seconds: float) -> None:
        self.timings[stage] = self.timings.get(stage, 0.0) + seconds

    def exit_code(self) -> int:
        if self.status == "failed" and self.loaded == 0:
            return 2
        return 1 if (self.rejected or self.failed_batches or self.missing) else 0

    def markdown(self) -> str:
        lines = [f"# {self.flow_name} run `{self.run_id}`", "",
                 f"status **{self.status}** · pipeline {PIPELINE_VERSION} · database `{self.db}`", "",
                 "| documents seen | loaded | skipped (already loaded) | rejected |", "|---|---|---|---|",
                 f"| {self.seen} | {self.loaded} | {self.skipped} | {self.rejected} |", "",
                 *[f"- {n}" for n in self.notes], *([""] if self.notes else []),
                 "| table | rows in database |", "|---|---|"]
        lines += [f"| {t} | {n} |" for t, n in self.rows.items()]
        lines += ["", "| stage | seconds |", "|---|---|"]
        lines += [f"| {s} | {v:.2f} |" for s, v in self.timings.items()]
        if self.rejects:
            lines += ["", "| rejected input | reason | detail |", "|---|---|---|"]
            lines += [f"| {u} | {r} | {d} |" for u, r, d in self.rejects[:200]]
        if self.failed_batches:
            lines += ["", "Failed batches:"] + [f"- {b}" for b in self.failed_batches]
        return "\n".join(lines)


def finish(con, summary: RunSummary) -> RunSummary:
    summary.status = "failed" if summary.failed_batches and not summary.loaded else (
        "completed_with_errors" if summary.failed_batches else "stopped" if summary.stopped_early else "completed")
    summary.rows = table_counts(con)
    finish_run(con, summary.run_id, summary.status, summary.seen, summary.loaded, summary.skipped,
               summary.rejected, summary.timings)
    try:
        create_markdown_artifact(key=f"{summary.flow_name}-summary", markdown=summary.markdown(),
                                 description=f"{summary.flow_name}: {summary.loaded} loaded, "
                                             f"{summary.skipped} skipped, {summary.rejected} rejected")
    except Exception as e:  # an artifact is a report, not the work: never fail a run for it
        get_run_logger().warning("could not create the summary artifact: %s", e)
    return summary


class BatchesFailed(RuntimeError):
    """Some batches failed after their retries; the others are loaded. Carries the summary
    so the flow run ends Failed truthfully and the CLI can still report."""

    def __init__(self, summary: RunSummary):
        super().__init__(f"{len(summary.failed_batches)} batch(es) failed: {summary.failed_batches[:3]}")
        self.summary = summary


def raise_if_failed(summary: RunSummary) -> RunSummary:
    if summary.failed_batches:
        raise BatchesFailed(summary)
    return summary
