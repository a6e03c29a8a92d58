-- grain: one row per staged article whose article_id (or content_hash) another staged article
-- also has; the other key is null in that row (GX's uniqueness expectation skips nulls).
-- A value held once can never fail a uniqueness expectation, so these rows give GX the same
-- unexpected rows and count as the whole columns, without sending every key to pandas.
with staged as (
    select article_id, content_hash from staging.articles
),

repeated_ids as (
    select article_id, null::varchar as content_hash
    from staged
    qualify count(*) over (partition by article_id) > 1
),

repeated_hashes as (
    select null::varchar as article_id, content_hash
    from staged
    qualify count(*) over (partition by content_hash) > 1
),

final as (
    select * from repeated_ids where article_id is not null
    union all
    select * from repeated_hashes where content_hash is not null
)

select * from final
order by article_id, content_hash
