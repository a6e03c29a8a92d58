-- grain: one row per article with the UTC day it counts for
-- (published_at when the source gave one, else the logical date of the run that loaded it)
create or replace view article_days as
select
    article_id,
    source_name,
    language,
    cast(coalesce(published_at, interval_start) at time zone 'UTC' as date) as day
from articles
