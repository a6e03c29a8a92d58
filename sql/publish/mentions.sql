-- grain: appends this run's mentions
insert into main.mentions
select s.*
from staging.mentions as s
anti join main.mentions as m on m.mention_id = s.mention_id
