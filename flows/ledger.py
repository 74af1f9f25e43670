"""Which input files a backfill has wholly loaded, to record them in `source_files`."""
from __future__ import annotations

import polars as pl

from flows.runners import PlannedBatch
from flows.tasks import SourceFile, files_frame
from transforms.pipeline import Batch


class FileLedger:
    """Which input files have all their documents in the database. A file is recorded
    in source_files with the batch that loads the last of its documents (batches load
    in order); never when one of its documents was left out (date window, a failed
    batch, a run stopped early) or when its reject may not recur (SourceFile.retry)."""

    def __init__(self, run_id: str, pipeline_version: str):
        self.run_id, self.version = run_id, pipeline_version
        self.files: dict[str, SourceFile] = {}
        self.remaining: dict[str, int] = {}  # documents planned into batches, not yet loaded
        self.blocked: set[str] = set()

    def add(self, files: list[SourceFile]) -> None:
        for f in files:
            self.files[f.path] = f
            self.remaining[f.path] = 0
            if f.retry:
                self.blocked.add(f.path)

    def block(self, paths) -> None:
        self.blocked.update(paths)

    def expect(self, paths) -> None:
        for p in paths:
            self.remaining[p] += 1

    def ready(self, paths) -> pl.DataFrame:
        """Files with no document left to load (all known, or none), forgotten once returned."""
        return self._take([p for p in paths if self.remaining.get(p) == 0])

    def settle(self, planned: PlannedBatch, batch: Batch | None) -> pl.DataFrame:
        """A batch is loaded (batch: what it loads) or failed (None): -> files it completes."""
        kept = set(batch.tables["documents"]["doc_id"].to_list()) if batch is not None else set()
        done = []
        for path, doc_id in zip(planned.doc_files, planned.doc_ids):
            if doc_id not in kept:
                self.blocked.add(path)
            self.remaining[path] -= 1
            if self.remaining[path] == 0:
                done.append(path)
        return self._take(done)

    def _take(self, paths: list[str]) -> pl.DataFrame:
        keep = [self.files[p] for p in paths if p not in self.blocked]
        for p in paths:
            self.files.pop(p, None)
            self.remaining.pop(p, None)
        return files_frame(keep)
