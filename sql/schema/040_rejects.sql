-- grain: one row per input record (or unreadable file) that did not load, per reason
create table if not exists rejects (
    load_id varchar not null,
    input_uri varchar not null,
    input_record bigint,
    reason_code varchar not null,
    message varchar,
    raw varchar
);
