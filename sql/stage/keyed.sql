-- grain: one row per record of the current batch (the registered relation incoming, whose
-- record_index numbers its rows), with its stable keys and is_new: whether it is stored as an
-- article new to the warehouse. Texts stay in incoming (articles.sql joins them back).
--
-- A record is stored when it is the first copy, by (input_uri, input_record), of both its
-- article_id and its text among the run's records; or, when its URL's first copy was
-- dropped as a content copy of another article and its own text is new, when it is the
-- first such copy of that URL (and of its text). Then the warehouse must hold neither its
-- article_id nor its text. A reprocessing run replaces its interval's rows, so it dedups
-- against the other intervals only ($replace_from = $replace_until, an empty range, for
-- ordinary runs).
--
-- The run's earlier batches staged every record of theirs as an article or a duplicate, and
-- all of them sort before this batch's (flows/core/batches.py cuts the files in input_uri
-- order). Whether a record is stored depends only on the records sorting before it, so
-- ranking this batch together with their keys decides exactly as one batch of the whole run.
create or replace temp table keyed as
with kept as (
    select article_id, content_hash
    from main.articles
    where not (interval_start >= $replace_from and interval_start < $replace_until)
),

incoming_records as (
    select * from incoming
),

with_keys as materialized (
    select
        record_index,
        input_uri,
        input_record,
        sha256(title || chr(10) || body) as content_hash,
        substr(
            sha256(
                case
                    when url is not null then 'url:' || url
                    else 'text:' || lower(title) || chr(10) || lower(body)
                end
            ),
            1,
            32
        ) as article_id
    from incoming_records
),

earlier_records as (
    select input_uri, input_record, article_id, content_hash from staging.articles
    union all
    select input_uri, input_record, article_id, content_hash from staging.duplicates
),

run_records as (
    select input_uri, input_record, article_id, content_hash from with_keys
    union all
    select input_uri, input_record, article_id, content_hash from earlier_records
),

ranked as (
    select
        *,
        row_number() over (partition by article_id order by input_uri, input_record) as id_rank,
        row_number() over (partition by content_hash order by input_uri, input_record) as hash_rank
    from run_records
),

firsts as (
    select * from ranked where id_rank = 1 and hash_rank = 1
),

second_chance as (
    select r.*
    from ranked as r
    anti join firsts as f on f.article_id = r.article_id
    anti join firsts as g on g.content_hash = r.content_hash
    qualify
        row_number() over (partition by r.article_id order by r.input_uri, r.input_record) = 1
        and row_number() over (partition by r.content_hash order by r.input_uri, r.input_record) = 1
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

stored as (
    select u.input_uri, u.input_record
    from unseen as u
    anti join kept as a on a.content_hash = u.content_hash
),

final as (
    select
        k.*,
        s.input_uri is not null as is_new
    from with_keys as k
    left join stored as s
        on s.input_uri = k.input_uri and s.input_record is not distinct from k.input_record
)

select * from final
