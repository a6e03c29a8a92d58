-- grain: one row per published table whose row count differs between the snapshot and the
-- live file (an incrementally written snapshot must have none)
with counts as (
    select 'articles' as table_name, (select count(*) from snap.main.articles) as snap_rows,
        (select count(*) from news.main.articles) as live_rows
    union all
    select 'entities', (select count(*) from snap.main.entities),
        (select count(*) from news.main.entities)
    union all
    select 'mentions', (select count(*) from snap.main.mentions),
        (select count(*) from news.main.mentions)
    union all
    select 'rejects', (select count(*) from snap.main.rejects),
        (select count(*) from news.main.rejects)
    union all
    select 'duplicates', (select count(*) from snap.main.duplicates),
        (select count(*) from news.main.duplicates)
    union all
    select 'entity_keys', (select count(*) from snap.main.entity_keys),
        (select count(*) from news.main.entity_keys)
    union all
    select 'source_days', (select count(*) from snap.main.source_days),
        (select count(*) from news.main.source_days)
    union all
    select 'entity_days', (select count(*) from snap.main.entity_days),
        (select count(*) from news.main.entity_days)
    union all
    select 'entity_articles', (select count(*) from snap.main.entity_articles),
        (select count(*) from news.main.entity_articles)
    union all
    select 'entity_pairs', (select count(*) from snap.main.entity_pairs),
        (select count(*) from news.main.entity_pairs)
)

select table_name, snap_rows, live_rows
from counts
where snap_rows <> live_rows
