-- grain: one row per entity mentioned in [$start, $end] (of $entity_type, or any type when
-- it is ''), ranked by mentions within its type; the top $limit of each type
-- (the sums of agg_entity_mentions_daily over the window, grouped by id before names join)
with counted as (
    select
        m.entity_id,
        count(*) as n_mentions,
        count(distinct m.article_id) as n_articles
    from mentions as m
    inner join article_days as d using (article_id)
    where d.day between $start and $end
    group by m.entity_id
),

ranked as (
    select
        e.entity_type,
        row_number() over (
            partition by e.entity_type
            order by c.n_mentions desc, c.n_articles desc, e.canonical_name
        ) as rank,
        e.canonical_name,
        c.n_mentions,
        c.n_articles,
        e.entity_id
    from counted as c
    inner join entities as e using (entity_id)
    where $entity_type = '' or e.entity_type = $entity_type
)

select *
from ranked
where rank <= $limit
order by entity_type, rank
