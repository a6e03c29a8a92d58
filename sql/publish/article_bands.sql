-- grain: appends the bands of this run's staged articles (anti-join keeps a re-publish a no-op)
-- Bands of articles a reprocess removed or re-staged go first: clear_replaced.sql deletes the
-- articles but not their bands, and a re-staged article_id may carry a new text.
delete from main.article_bands as b
where b.article_id in (select article_id from staging.articles)
    or not exists (
        select 1 from main.articles as a where a.article_id = b.article_id
    );

insert into main.article_bands
select s.article_id, s.band, s.band_hash
from staging.article_bands as s
-- only bands of articles this run staged: a failed run's leftovers are never published
semi join staging.articles as a on a.article_id = s.article_id
anti join main.article_bands as b on b.article_id = s.article_id;
