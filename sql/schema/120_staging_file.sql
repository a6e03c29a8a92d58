-- grain: staged rows move out of the live file into a file of their own (home/staging.duckdb,
-- attached by every writer as catalog "staging"; sql/stage/reset.sql makes its tables at the
-- start of each run, so no schema file names them now). Warehouses made before this file
-- keep a staging schema in the live file: it goes, with the staged rows of its last run.
drop schema if exists staging cascade;
