-- grain: one row per entity whose name or alias contains $name (case-insensitive; '' matches
-- all), the most mentioned $limit first
-- (mentions counted from entity_days, by integer key before the names join)
with counted as (
    select entity_key, sum(n_mentions)::bigint as n_mentions
    from entity_days
    group by entity_key
),

mentioned as (
    select k.entity_id, c.n_mentions
    from counted as c
    inner join entity_keys as k using (entity_key)
)

select
    e.entity_id,
    e.canonical_name,
    e.entity_type,
    coalesce(m.n_mentions, 0) as n_mentions
from entities as e
left join mentioned as m using (entity_id)
where
    $name = ''
    or contains(lower(e.canonical_name), lower($name))
    or list_has_any(
        list_transform(coalesce(e.aliases, []), lambda a: contains(lower(a), lower($name))),
        [true]
    )
order by n_mentions desc, e.canonical_name, e.entity_id
limit $limit
