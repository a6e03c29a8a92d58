-- grain: one row per unordered pair of entities mentioned in the same article
create or replace view agg_entity_cooccurrence as
with pairs as (
    select distinct article_id, entity_id from mentions
),

final as (
    select
        a.entity_id as entity_id_a,
        b.entity_id as entity_id_b,
        count(*) as n_articles
    from pairs as a
    inner join pairs as b on a.article_id = b.article_id and a.entity_id < b.entity_id
    group by all
)

select
    f.entity_id_a,
    ea.canonical_name as canonical_name_a,
    ea.entity_type as entity_type_a,
    f.entity_id_b,
    eb.canonical_name as canonical_name_b,
    eb.entity_type as entity_type_b,
    f.n_articles
from final as f
inner join entities as ea on ea.entity_id = f.entity_id_a
inner join entities as eb on eb.entity_id = f.entity_id_b
