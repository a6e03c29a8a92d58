-- grain: a full snapshot starts as a copy of the live file; these are the writer's own tables
-- (story bands, input file digests, feed validators), not published
drop table snap.main.article_bands;
drop table snap.main.input_files;
drop table snap.main.fetch_validators;
