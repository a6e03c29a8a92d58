-- grain: appends rejects not already recorded for the same record and reason
insert into main.rejects
select s.*
from staging.rejects as s
anti join main.rejects as r
    on r.input_uri = s.input_uri
    and r.input_record is not distinct from s.input_record
    and r.reason_code = s.reason_code
