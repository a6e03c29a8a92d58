-- grain: remakes every staging table, empty, in the shape the published table has now, so a
-- run starts from a clean slate and a migration of a published table needs no staging twin
create or replace table staging.articles as from main.articles limit 0;
-- create-as copies no defaults; rows staged by sql/stage/articles.sql omit the column
alter table staging.articles alter column is_canonical set default true;
create or replace table staging.duplicates as from main.duplicates limit 0;
create or replace table staging.input_files as from main.input_files limit 0;
create or replace table staging.entities as from main.entities limit 0;
create or replace table staging.mentions as from main.mentions limit 0;
create or replace table staging.rejects as from main.rejects limit 0;
create or replace table staging.article_bands as from main.article_bands limit 0;
-- published stories a run renames: an earlier copy arrived, or a copy joined two stories
create or replace table staging.story_moves (
    old_story_id varchar not null,
    new_story_id varchar not null
);
