-- grain: one row per article_id or content_hash of this load stored more than once (expect none)
with touched as (
    select article_id, content_hash from main.articles where load_id = $load_id
)

select 'article_id' as key_name, article_id as key_value, count(*) as n
from main.articles
where article_id in (select article_id from touched)
group by article_id
having count(*) > 1
union all
select 'content_hash', content_hash, count(*)
from main.articles
where content_hash in (select content_hash from touched)
group by content_hash
having count(*) > 1
