-- grain: one row per reject with reason $reason_code, the newest $limit first
select
    r.input_uri,
    r.input_record,
    r.message,
    left(r.raw, 300) as raw_preview,
    r.load_id
from rejects as r
left join loads as l using (load_id)
where r.reason_code = $reason_code
order by l.started_at desc nulls last, r.input_uri, r.input_record
limit $limit
