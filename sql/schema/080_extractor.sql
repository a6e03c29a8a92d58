-- which reader or library produced each article's body, with its version
-- (flows/core/extractors.py); staging.articles follows (sql/stage/reset.sql)
alter table articles add column if not exists extractor varchar;
