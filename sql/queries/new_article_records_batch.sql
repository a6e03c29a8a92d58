-- grain: one row per article the current batch stages (keyed.sql marks it new): the record
-- its story bands were hashed from
select record_index, article_id
from keyed
where is_new
