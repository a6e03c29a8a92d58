-- grain: one page of the articles staged by this run, in article_id order: the entity step
-- reads the new articles a bounded batch at a time
select article_id, title, body
from staging.articles
order by article_id
limit $page_size offset $page_start
