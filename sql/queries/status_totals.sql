-- grain: a single row of table sizes
select
    (select count(*) from articles) as articles,
    (select count(*) from entities) as entities,
    (select count(*) from mentions) as mentions,
    (select count(*) from rejects) as rejects,
    (select count(*) from duplicates) as duplicates
