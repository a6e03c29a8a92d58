-- grain: one row per staged entity whose entity_id another staged entity also has
-- (a value held once can never fail the uniqueness expectation; see audit_articles_keys.sql)
with staged as (
    select entity_id from staging.entities
),

final as (
    select entity_id
    from staged
    where entity_id is not null
    qualify count(*) over (partition by entity_id) > 1
)

select * from final
order by entity_id
