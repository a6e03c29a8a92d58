-- grain: one row per URL this run fetched; replaces what was remembered for it
delete from fetch_validators where url in (select url from new_validators);

insert into fetch_validators by name
select url, etag, last_modified, updated_at
from new_validators;
