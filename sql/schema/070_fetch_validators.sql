-- grain: one row per fetched URL: the validators (ETag, Last-Modified) its last answer gave,
-- sent back on the next fetch so an unchanged feed costs a 304 and writes nothing
create table if not exists fetch_validators (
    url varchar not null,
    etag varchar,
    last_modified varchar,
    updated_at timestamptz not null
);
