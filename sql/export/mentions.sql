-- grain: one row per mention, with its article's UTC day (the export's partition key)
select m.*, d.day
from mentions as m
inner join article_days as d using (article_id)
