-- grain: one row per duplicate of this load whose stored copy is missing (expect none):
-- a record is never dropped as a copy of something that is not in the warehouse
select d.input_uri, d.input_record, d.duplicate_of
from main.duplicates as d
anti join main.articles as a on a.article_id = d.duplicate_of
where d.load_id = $load_id
