-- grain: opens the run's staging file as catalog "staging" beside the live file, so the sql/
-- files' staging.<table> names it. Staged rows live for one run (sql/stage/reset.sql remakes
-- the tables); in a file of their own, they never take room in the live file, whose copy is
-- then a full snapshot once its unpublished tables are dropped (flows/snapshots.py). Row
-- groups of 16,384 rows, as the live file's: the publish reads a run's staged articles on
-- every core only when they span several row groups.
attach $path as staging (row_group_size 16384)
