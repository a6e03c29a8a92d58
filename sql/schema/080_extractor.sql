-- which reader or library produced each article's body, with its version
-- (flows/core/extractors.py); appended to both sides so publish's select * still lines up
alter table articles add column if not exists extractor varchar;
alter table staging.articles add column if not exists extractor varchar;
