-- Issue 17: a flow run that crashed is rescheduled under the same flow-run id
-- (deploy/automation-retry-crashed.yaml) and runs again. Each attempt that reached the
-- database keeps its own row: (run_id, attempt) is the key, attempt 1, 2, ... in the
-- order they started. A run never retried has one row, attempt 1 (rows from before
-- this migration too), so `WHERE run_id = ?` still finds one row unless it was retried.
ALTER TABLE runs ADD COLUMN attempt INTEGER DEFAULT 1;
