-- grain: one row per incoming record that repeats an article (same id or same content)
insert into staging.duplicates
with copies as (
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
        coalesce(by_id.article_id, by_hash.article_id, c.first_id_for_hash) as duplicate_of
    from copies as c
    left join main.articles as by_id on by_id.article_id = c.article_id
    left join main.articles as by_hash on by_hash.content_hash = c.content_hash
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
