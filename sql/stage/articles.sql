-- grain: one row per article new to the warehouse (first copy in the batch, unseen before)
insert into staging.articles by name
-- A reprocessing run replaces its interval's rows, so it dedups against the other intervals
-- only ($replace_from = $replace_until, an empty range, for ordinary runs).
with kept as (
    select article_id, content_hash
    from main.articles
    where not (interval_start >= $replace_from and interval_start < $replace_until)
),

firsts as (
    select * from keyed where id_rank = 1 and hash_rank = 1
),

-- A record whose URL's first copy was dropped as a content copy of another article, and
-- whose own text is new, is the first stored copy of that URL after all.
second_chance as (
    select k.*
    from keyed as k
    anti join firsts as f on f.article_id = k.article_id
    anti join firsts as g on g.content_hash = k.content_hash
    qualify
        row_number() over (partition by k.article_id order by k.input_uri, k.input_record) = 1
        and row_number() over (partition by k.content_hash order by k.input_uri, k.input_record) = 1
),

candidates as (
    select * from firsts
    union all by name
    select * from second_chance
),

unseen as (
    select c.*
    from candidates as c
    anti join kept as a on a.article_id = c.article_id
),

final as (
    select u.*
    from unseen as u
    anti join kept as a on a.content_hash = u.content_hash
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
from final
