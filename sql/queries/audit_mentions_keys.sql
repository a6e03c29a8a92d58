-- grain: one row per staged mention whose mention_id another staged mention also has
-- (a value held once can never fail the uniqueness expectation; see audit_articles_keys.sql)
with staged as (
    select mention_id from staging.mentions
),

final as (
    select mention_id
    from staged
    where mention_id is not null
    qualify count(*) over (partition by mention_id) > 1
)

select * from final
order by mention_id
