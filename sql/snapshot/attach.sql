-- grain: opens the new snapshot file (a temporary name) next to the live catalog, with the
-- live file's row group size (sql/meta/attach_live.sql): a snapshot starts as a copy of a
-- file written with it, and DuckDB's checkpoint rewrites row groups smaller than the size
-- the file is attached with, which would recompress every table
attach $path as snap (row_group_size 16384)
