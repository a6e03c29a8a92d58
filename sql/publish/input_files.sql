-- grain: remembers each file content read, so an unchanged file is skipped next time
insert into main.input_files
select s.*
from staging.input_files as s
anti join main.input_files as f on f.input_uri = s.input_uri and f.sha256 = s.sha256
