-- grain: one row per input file this run read (skipped unchanged files are not restaged)
insert into staging.input_files by name
select input_uri, sha256, size_bytes, $load_id as load_id
from read_files
