-- grain: copies every published table from the live file (catalog "news") into the snapshot
create table snap.main.articles as from news.main.articles;
create table snap.main.entities as from news.main.entities;
create table snap.main.mentions as from news.main.mentions;
create table snap.main.loads as from news.main.loads;
create table snap.main.rejects as from news.main.rejects;
create table snap.main.duplicates as from news.main.duplicates;
create table snap.main.audit_results as from news.main.audit_results;
create table snap.main.schema_version as from news.main.schema_version;
create table snap.main.entity_keys as from news.main.entity_keys;
create table snap.main.source_days as from news.main.source_days;
create table snap.main.entity_days as from news.main.entity_days;
create table snap.main.entity_articles as from news.main.entity_articles;
create table snap.main.entity_pairs as from news.main.entity_pairs;
