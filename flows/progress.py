"""How far a backfill is: a Prefect progress artifact, and a bar on the terminal when asked."""
from __future__ import annotations

from prefect import get_run_logger

from flows.runners import PlannedBatch
from flows.summary import RunSummary


class Progress:
    """Progress as a Prefect progress artifact, and as a rich bar on stderr when asked."""

    def __init__(self, show_bar: bool, key: str = "backfill-progress"):
        self.key, self.artifact_id, self.bar, self.task, self.total = key, None, None, None, 0
        if show_bar:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

            self.bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TimeElapsedColumn(), console=Console(stderr=True))
            self.bar.start()

    def stage(self, description: str, total: int) -> None:
        if self.bar:
            if self.task is not None:
                self.bar.update(self.task, completed=self.bar.tasks[self.task].total)
            self.task = self.bar.add_task(description, total=total)

    def start(self, n_files: int, description: str) -> None:
        self.n_files, self.files_read, self.percent = n_files, 0, 0.0
        self._artifact(0.0, description)

    def advance(self, n: int = 1) -> None:  # files read
        self.files_read += n
        if self.bar:
            self.bar.advance(self.task, n)

    def planned(self, total: int) -> None:
        self.total = total

    def batch_done(self, summary: RunSummary, _planned: PlannedBatch) -> None:
        """Batches are planned as files are read: done = batches loaded of those planned,
        times the share of files read (never going back)."""
        done = summary.batches + len(summary.failed_batches)
        estimate = 100.0 * done / max(self.total, 1) * self.files_read / max(self.n_files, 1)
        if estimate > self.percent + 0.5 or (estimate >= 100.0 > self.percent):
            self.percent = estimate
            self._artifact(estimate)

    def _artifact(self, percent: float, description: str | None = None) -> None:
        from prefect.artifacts import create_progress_artifact, update_progress_artifact

        try:  # a report, never a reason to fail the run
            if self.artifact_id is None:
                self.artifact_id = create_progress_artifact(progress=percent, key=self.key, description=description)
            else:
                update_progress_artifact(self.artifact_id, progress=percent)
        except Exception as e:
            get_run_logger().warning("could not update the progress artifact: %s", e)

    def close(self) -> None:
        if self.bar:
            self.bar.stop()
