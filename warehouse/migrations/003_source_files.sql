-- source_files: one row per input file whose documents are all in the database,
-- written in the same transaction as the batch that loaded the file's last
-- document. A run skips a file whose (path, size, mtime_ns) matches its row
-- without reading it (`--verify`: only when the sha256 of its bytes matches).
-- A file that produced only rejects of its content (empty, binary, bad JSON...)
-- is recorded too, so a rerun does not read it again; read errors and reader
-- bugs are not (a rerun tries them again). No PRIMARY KEY (see 001): the loader
-- replaces a path's row (delete + insert) in the batch's transaction.

CREATE TABLE source_files (
    path VARCHAR NOT NULL,              -- absolute path
    size BIGINT NOT NULL,               -- bytes, from stat before reading
    mtime_ns BIGINT NOT NULL,           -- st_mtime_ns, from stat before reading
    sha256 VARCHAR NOT NULL,            -- of the file's bytes
    n_documents INTEGER NOT NULL,       -- documents the file held (a rerun counts them as skipped)
    n_rejects INTEGER NOT NULL,         -- rejects it produced (already in `rejects`)
    first_run_id VARCHAR,               -- the run that first recorded this path
    pipeline_version VARCHAR NOT NULL,  -- of the run that recorded this version of the file
    loaded_at TIMESTAMPTZ NOT NULL
);
