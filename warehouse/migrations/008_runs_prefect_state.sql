-- Issue 17: runs.run_id is the Prefect flow-run id (runs before it have a random hex id).
-- A run that died without finishing (killed, machine lost) is marked `crashed` by the next
-- run on the database, which records here the state the Prefect server last held for it
-- (`Crashed` when a worker noticed, `Running` when nobody did); NULL when it could not be read.
ALTER TABLE runs ADD COLUMN prefect_state VARCHAR;
