-- grain: one row per applied schema file; the version is the file's numeric prefix
create table if not exists schema_version (
    version integer not null,
    name varchar not null,
    applied_at timestamptz not null default current_timestamp
);
