-- grain: every duplicate the run staged points at the stored copy: the staged article with
-- its article_id, else the warehouse's, else the staged article with its text, else the
-- warehouse's. Runs once all of the run's batches are staged: a copy can sort before its
-- stored article (the first new text under a URL whose first copy repeated another article).
-- A reprocessing run links to the other intervals only, as sql/stage/keyed.sql dedups.
update staging.duplicates as d
set duplicate_of = l.duplicate_of
from (
    with kept as (
        select article_id, content_hash
        from main.articles
        where not (interval_start >= $replace_from and interval_start < $replace_until)
    ),

    links as (
        select
            c.input_uri,
            c.input_record,
            min(
                coalesce(
                    staged_id.article_id,
                    main_id.article_id,
                    staged_hash.article_id,
                    main_hash.article_id
                )
            ) as duplicate_of
        from staging.duplicates as c
        left join staging.articles as staged_id on staged_id.article_id = c.article_id
        left join kept as main_id on main_id.article_id = c.article_id
        left join staging.articles as staged_hash on staged_hash.content_hash = c.content_hash
        left join kept as main_hash on main_hash.content_hash = c.content_hash
        group by c.input_uri, c.input_record
    )

    select * from links
) as l
where
    d.input_uri = l.input_uri
    and d.input_record is not distinct from l.input_record
    and d.duplicate_of is distinct from l.duplicate_of
