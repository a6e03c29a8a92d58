-- grain: one row per article new to the warehouse (first copy in the batch, unseen before)
insert into staging.articles
with firsts as (
    select * from keyed where id_rank = 1 and hash_rank = 1
),

unseen as (
    select f.*
    from firsts as f
    anti join main.articles as a on a.article_id = f.article_id
),

final as (
    select u.*
    from unseen as u
    anti join main.articles as a on a.content_hash = u.content_hash
)

select
    article_id,
    url,
    source_name,
    source_domain,
    origin_source,
    title,
    summary,
    body,
    authors,
    published_at,
    $started_at as ingested_at,
    language,
    word_count,
    content_hash,
    article_id as story_id,
    null as tone,
    $load_id as load_id,
    $logical_date as interval_start,
    input_uri,
    input_record,
    date_unparsed
from final
