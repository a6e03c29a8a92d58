-- grain: one row per article, with the UTC day it counts for (the export's partition key)
select a.*, d.day
from articles as a
inner join article_days as d using (article_id)
