-- grain: one row per reject reason, with one example location
select
    reason_code,
    count(*) as n_rejects,
    min(input_uri || coalesce(':' || input_record::varchar, '')) as example
from rejects
group by reason_code
order by n_rejects desc, reason_code
