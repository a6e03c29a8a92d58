-- grain: one row per input record or file of this run that did not load
insert into staging.rejects by name
select
    $load_id as load_id,
    input_uri,
    input_record,
    reason_code,
    message,
    raw
from rejected
