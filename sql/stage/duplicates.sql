-- grain: one row per incoming record that repeats an article (same id or same content),
-- pointing at the stored copy: same article_id first, else same content
insert into staging.duplicates by name
with kept as (
    select article_id, content_hash
    from main.articles
    where not (interval_start >= $replace_from and interval_start < $replace_until)
),

copies as (
    select k.*
    from keyed as k
    anti join staging.articles as s
        on s.input_uri = k.input_uri and s.input_record is not distinct from k.input_record
),

final as (
    select
        c.input_uri,
        c.input_record,
        c.article_id,
        c.content_hash,
        coalesce(
            staged_id.article_id, main_id.article_id, staged_hash.article_id, main_hash.article_id
        ) as duplicate_of
    from copies as c
    left join staging.articles as staged_id on staged_id.article_id = c.article_id
    left join kept as main_id on main_id.article_id = c.article_id
    left join staging.articles as staged_hash on staged_hash.content_hash = c.content_hash
    left join kept as main_hash on main_hash.content_hash = c.content_hash
)

select distinct on (input_uri, input_record)
    $load_id as load_id,
    input_uri,
    input_record,
    article_id,
    content_hash,
    duplicate_of
from final
order by input_uri, input_record
