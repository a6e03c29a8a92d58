-- grain: appends this run's duplicate records not recorded before
insert into main.duplicates
select s.*
from staging.duplicates as s
anti join main.duplicates as d
    on d.input_uri = s.input_uri and d.input_record is not distinct from s.input_record
