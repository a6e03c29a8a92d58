-- grain: one row per article the current batch stages (keyed.sql marks it new): the texts
-- its story bands are computed from
select article_id, title, body
from keyed
where is_new
