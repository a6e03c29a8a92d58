-- grain: one row per article the current batch stages (keyed.sql marks it new): the texts
-- its story bands are computed from
select k.article_id, i.title, i.body
from keyed as k
inner join incoming as i using (record_index)
where k.is_new
