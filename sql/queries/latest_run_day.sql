-- grain: one row: the latest logical day (UTC) with a run that finished, or null
select max((logical_date at time zone 'UTC')::date) as day
from loads
where status in ('published', 'no_new_data')
