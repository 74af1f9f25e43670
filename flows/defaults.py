"""Defaults of the flows that the command line shows too: here, so that `policy-news sql`,
`status` and `export` start without importing Prefect (seconds on a busy machine)."""

# Documents per batch (one transform task, one transaction). A batch pays a fixed cost in the transforms
# (~0.14 s: polars keeps 32 compiled patterns per thread, so each batch compiles the pipeline's patterns
# again, the figure patterns 3-7 ms each, and runs a few thousand frame operations): on the 10,000
# generated documents, one thread, transforms took 12.1 s in batches of 500 documents / 2M characters,
# 9.6 s of 1,000 / 4M, 8.9 s of 2,000 / 8M; the largest transform peak was +94, +156, +269 MB. Loading
# costs 1.5 ms a document in batches of 500, 1.3 ms of 1,000.
DEFAULT_BATCH_SIZE = 1_000
# Documents re-derived per batch by reprocess (the same costs).
REPROCESS_BATCH_SIZE = 1_000
# Worker processes reading files (`--read-processes`). HTML parsing holds the GIL, but on 2 CPUs the
# transforms keep both busy anyway: 10,000 generated documents took 41.8 s with 2 read processes and
# 40.1 s on threads (and 340 MB less). Worth it where there are cores to spare.
DEFAULT_READ_PROCESSES = 0
# Transform batches in flight at once (each holds its raw text and its tables).
DEFAULT_WINDOW = 4
# Worker processes of a local Dask cluster (`--dask`).
DEFAULT_DASK_WORKERS = 2
# Folder of the WARC files a pull writes (`policy-news pull --archive`).
PULL_ARCHIVE = "archive"
