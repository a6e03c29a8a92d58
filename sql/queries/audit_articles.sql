-- grain: one row per article staged by this run (audit input, row-wise expectations)
-- Only the columns expectations/articles.json reads (flows/quality.py::needed_columns).
-- Columns only checked for nulls arrive as presence flags (1.0, or null when missing) so
-- titles and bodies stay in DuckDB; integers are widened to bigint, which GX compares
-- vectorized (narrower ones it compares row by row in Python).
with staged as (
    select * from staging.articles
),

final as (
    select
        article_id,
        case when content_hash is not null then 1.0::double end as content_hash,
        case when title is not null then 1.0::double end as title,
        case when body is not null then 1.0::double end as body,
        case when input_uri is not null then 1.0::double end as input_uri,
        word_count::bigint as word_count,
        language,
        published_at,
        tone
    from staged
)

select * from final
