-- grain: one row per entity that still has mentions after a reprocess; dates recomputed from
-- those mentions, so they match what loading the remaining data from scratch would give.
-- Aliases are kept: they record names seen, not current rows.
delete from main.entities as e
where not exists (select 1 from main.mentions as m where m.entity_id = e.entity_id);

update main.entities as e
set first_seen = s.first_seen, last_seen = s.last_seen
from (
    select
        m.entity_id,
        min(coalesce(a.published_at, a.interval_start)) as first_seen,
        max(coalesce(a.published_at, a.interval_start)) as last_seen
    from main.mentions as m
    inner join main.articles as a using (article_id)
    group by m.entity_id
) as s
where e.entity_id = s.entity_id;
