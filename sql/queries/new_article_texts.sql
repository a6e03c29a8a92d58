-- grain: one row per article staged by this run (the entity step's input)
select article_id, title, body
from staging.articles
order by article_id
