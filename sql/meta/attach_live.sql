-- grain: opens the live file read-write as catalog "news" (what a direct open would name it).
-- Row groups of 16,384 rows instead of DuckDB's 122,880: DuckDB scans and compresses one row
-- group per thread, and rows still in an unfilled row group are compressed by the commit on
-- one thread. With the default, a whole day of 100,000 articles is one row group, so the
-- publish inserted and compressed every article body on a single core (the transaction
-- took 11.2 s, 8.7 s with this size; benchmarks/RESULTS.md). Not stored in the file: every
-- writer attaches with it. Readers open the published snapshot, which keeps the default.
attach $path as news (row_group_size 16384)
