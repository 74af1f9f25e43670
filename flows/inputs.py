"""Which files a run reads: paths, folders and globs expanded, non-articles set aside."""
from __future__ import annotations

import glob
import os
from importlib import resources
from pathlib import Path

from sources.registry import is_valid_unicode

# Files that describe an archive rather than hold articles: set aside, not rejected.
NOT_ARTICLES = {"readme", "readme.md", "readme.txt", "source.md", "license", "license.md", "license.txt",
                "changelog.md", ".ds_store"}
NOT_ARTICLE_SUFFIXES = {".xlsx", ".xls", ".duckdb", ".wal", ".db", ".zip", ".gz",
                        ".tar", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf", ".py", ".pyc", ".css", ".js"}


def bundled_samples() -> list[Path]:
    folder = resources.files("sources").joinpath("samples")
    return sorted(Path(str(f)) for f in folder.iterdir() if f.name.endswith(".txt"))


def is_article_candidate(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith((".warc", ".warc.gz")):  # web archives of `policy-news pull`: pages, not a .gz to skip
        return True
    return not (name.startswith(".") or name in NOT_ARTICLES or path.suffix.lower() in NOT_ARTICLE_SUFFIXES)


def discover(paths: list[str] | None) -> tuple[list[Path], list[Path], list[str]]:
    """-> (files to read, files set aside as not articles, paths that matched nothing)."""
    if not paths:
        return bundled_samples(), [], []
    files: list[Path] = []
    missing: list[str] = []
    for p in paths:
        matches = [Path(m) for m in sorted(glob.glob(p, recursive=True))] if glob.has_magic(p) else [Path(p)]
        if not matches or not any(m.exists() for m in matches):
            missing.append(p)
            continue
        for m in matches:
            if m.is_dir():
                files += folder_entries(m)
            elif os.path.lexists(m):  # a FIFO, a device, a broken link: read_file rejects it, never ignored
                files.append(m)
    seen, unique = set(), []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    # a name that is not UTF-8 is read, to be rejected by a printable name (not printed as set aside)
    keep, aside = [], []
    for f in unique:
        (keep if is_article_candidate(f) or not is_valid_unicode(str(f)) else aside).append(f)
    return keep, aside, missing


def folder_entries(folder: Path) -> list[Path]:
    """Every entry under `folder` but folders and hidden names, sorted. A subfolder
    that cannot be listed is returned itself, as are pipes, sockets and broken links,
    so that the read rejects each with its reason instead of the run skipping it
    (or failing on it). Links to folders are not followed (no cycles)."""
    out: list[Path] = []

    def unlistable(e: OSError) -> None:
        out.append(Path(e.filename) if e.filename else folder)

    for top, dirs, names in os.walk(folder, onerror=unlistable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out += (Path(top) / n for n in names if not n.startswith("."))
    return sorted(out)


def chunks(items: list, size: int, max_bytes: int | None = None) -> list[list]:
    """Consecutive runs of at most `size` items; with max_bytes, a run of files also
    closes before its files' sizes add up past max_bytes (a file larger than that is a
    run of its own), so that a read task of big JSONL exports holds no more in memory
    than one of web pages."""
    if max_bytes is None:
        return [items[i:i + size] for i in range(0, len(items), size)]
    out, run, total = [], [], 0
    for item in items:
        try:
            n = os.stat(item).st_size
        except OSError:
            n = 0  # the read task rejects it with the reason
        if run and (len(run) >= size or total + n > max_bytes):
            out.append(run)
            run, total = [], 0
        run.append(item)
        total += n
    if run:
        out.append(run)
    return out
