-- grain: one row per (article the current batch staged, LSH band). Reads the registered
-- relation batch_bands (article_id, band, band_hash) from flows/core/stories.py::band_hashes
-- over the texts of the batch's new articles (queries/new_article_texts_batch.sql).
insert into staging.article_bands by name
select article_id, band, band_hash
from batch_bands
