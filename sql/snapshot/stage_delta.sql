-- grain: copies this run's staged rows (only them) into a staging schema of the snapshot, so
-- the publish/*.sql files can apply the same change to the snapshot as to the live file
create schema snap.staging;
create table snap.staging.articles as from news.staging.articles;
create table snap.staging.story_moves as from news.staging.story_moves;
create table snap.staging.duplicates as from news.staging.duplicates;
create table snap.staging.rejects as from news.staging.rejects;
create table snap.staging.entities as from news.staging.entities;
create table snap.staging.mentions as from news.staging.mentions;
