-- grain: opens the run's staging file as catalog "staging" beside the live file, so the sql/
-- files' staging.<table> names it. Staged rows live for one run (sql/stage/reset.sql remakes
-- the tables); in a file of their own, they never take room in the live file, whose copy is
-- then a full snapshot once its unpublished tables are dropped (flows/snapshots.py).
attach $path as staging
