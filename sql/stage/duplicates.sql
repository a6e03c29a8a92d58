-- grain: one row per record of the current batch that repeats an article (same id or same
-- content). duplicate_of is filled in by sql/stage/duplicate_links.sql once every batch of
-- the run is staged (the stored copy can come from a later batch); until then it holds the
-- record's own article_id.
insert into staging.duplicates by name
select
    $load_id as load_id,
    input_uri,
    input_record,
    article_id,
    content_hash,
    article_id as duplicate_of
from keyed
where not is_new
