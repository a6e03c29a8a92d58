-- grain: appends this run's staged articles (anti-join keeps a re-publish a no-op)
insert into main.articles
select s.*
from staging.articles as s
anti join main.articles as a on a.article_id = s.article_id
