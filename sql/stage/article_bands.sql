-- grain: one row per (article the current batch staged, LSH band). Reads the registered
-- relation batch_bands (article_id, band, band_hash): flows/core/stories.py::band_hashes of
-- the batch's records, kept for its new articles (queries/new_article_records_batch.sql).
insert into staging.article_bands by name
select article_id, band, band_hash
from batch_bands
