-- grain: one row per incoming normalized record, with its stable keys and copy ranks
create or replace temp table keyed as
with incoming_records as (
    select * from incoming
),

with_keys as (
    select
        *,
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

final as (
    select
        *,
        row_number() over (partition by article_id order by input_uri, input_record) as id_rank,
        row_number() over (partition by content_hash order by input_uri, input_record) as hash_rank
    from with_keys
)

select * from final
