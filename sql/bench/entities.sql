-- grain: one row per synthetic entity the staged mentions name (benchmarks only), staged like
-- a run's entities; entity_rank 1 is the most mentioned (see bench/mentions.sql)
insert into staging.entities by name
with ranks as (
    select t.i + 1 as entity_rank
    from range($entities) as t(i)
),

typed as (
    select
        entity_rank,
        hash('type', entity_rank) % 100 as type_draw,
        (hash('place', entity_rank) % 1000000)::double / 1000000 as u
    from ranks
),

final as (
    select
        md5('entity:' || entity_rank) as entity_id,
        case
            when type_draw < 30 then 'PERSON'
            when type_draw < 55 then 'ORG'
            when type_draw < 80 then 'GPE'
            when type_draw < 85 then 'LOC'
            when type_draw < 93 then 'NORP'
            else 'MISC'
        end as entity_type,
        entity_rank,
        u
    from typed
)

select
    entity_id,
    left(entity_type, 1) || lower(substr(entity_type, 2)) || ' ' || entity_rank as canonical_name,
    entity_type,
    ['alias ' || entity_rank] as aliases,
    case when entity_type = 'GPE' then 'C' || chr(65 + (entity_rank % 26)::int) end
        as country_code,
    case when entity_type in ('GPE', 'LOC') then 90 - 180 * u end as latitude,
    case when entity_type in ('GPE', 'LOC') then 180 - 360 * ((u * 7919) % 1) end as longitude,
    $start::timestamptz as first_seen,
    $start::timestamptz + to_days($days::int) as last_seen
from final
semi join staging.mentions as m on m.entity_id = final.entity_id
