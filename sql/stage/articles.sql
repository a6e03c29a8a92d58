-- grain: one row per article new to the warehouse: the current batch's records keyed.sql
-- marks new (the first copy of the article in the run, unseen before)
insert into staging.articles by name
with new_records as (
    select i.*, k.article_id, k.content_hash
    from keyed as k
    inner join incoming as i using (record_index)
    where k.is_new
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
    tone,
    tone_positive,
    tone_negative,
    extractor,
    $load_id as load_id,
    $logical_date as interval_start,
    input_uri,
    input_record,
    date_unparsed
from new_records
