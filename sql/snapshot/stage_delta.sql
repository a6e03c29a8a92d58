-- grain: exposes this run's staged rows (only them) as a staging schema of the snapshot, so
-- the publish/*.sql files apply the same change to the snapshot as to the live file. Views
-- onto the live file's staging tables, not copies: the rows are compressed once, where they
-- land (snapshot/drop_delta.sql drops the views before the snapshot is detached).
create schema snap.staging;
create view snap.staging.articles as from news.staging.articles;
create view snap.staging.story_moves as from news.staging.story_moves;
create view snap.staging.duplicates as from news.staging.duplicates;
create view snap.staging.rejects as from news.staging.rejects;
create view snap.staging.entities as from news.staging.entities;
create view snap.staging.mentions as from news.staging.mentions;
