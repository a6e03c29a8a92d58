-- grain: one row per URL fetched before
select url, etag, last_modified
from fetch_validators
