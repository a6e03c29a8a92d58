-- grain: one row per unordered pair of entities mentioned in the same article
-- (entity_pairs, counted at publish; entity_id_a sorts before entity_id_b)
create or replace view agg_entity_cooccurrence as
with named as (
    select k.entity_key, e.entity_id, e.canonical_name, e.entity_type
    from entity_keys as k
    inner join entities as e using (entity_id)
),

final as (
    select
        a.entity_id as entity_id_a,
        a.canonical_name as canonical_name_a,
        a.entity_type as entity_type_a,
        b.entity_id as entity_id_b,
        b.canonical_name as canonical_name_b,
        b.entity_type as entity_type_b,
        p.n_articles
    from entity_pairs as p
    inner join named as a on a.entity_key = p.entity_key_a
    inner join named as b on b.entity_key = p.entity_key_b
)

select * from final
