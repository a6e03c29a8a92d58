-- grain: removes every row the replaced loads wrote, so the interval is loaded as if for the
-- first time; other intervals' rows are not touched (the ledger and audit history stay)

-- the aggregate tables (schema/110_aggregates.sql) first: pair counts lose the articles that
-- are about to go, the per-load rows go with their loads
update main.entity_pairs as p
set n_articles = p.n_articles - g.n_articles
from (
    with article_entities as (
        select a.article_id, k.entity_id, a.entity_key
        from main.entity_articles as a
        inner join main.entity_keys as k using (entity_key)
        where a.load_id in (select load_id from replaced_loads)
    )

    select x.entity_key as entity_key_a, y.entity_key as entity_key_b, count(*) as n_articles
    from article_entities as x
    inner join article_entities as y
        on x.article_id = y.article_id and x.entity_id < y.entity_id
    group by x.entity_key, y.entity_key
) as g
where p.entity_key_a = g.entity_key_a and p.entity_key_b = g.entity_key_b;

delete from main.entity_pairs where n_articles = 0;
delete from main.entity_days where load_id in (select load_id from replaced_loads);
delete from main.entity_articles where load_id in (select load_id from replaced_loads);
delete from main.source_days where load_id in (select load_id from replaced_loads);

delete from main.mentions
where article_id in (
    select a.article_id
    from main.articles as a
    semi join replaced_loads as r using (load_id)
);

delete from main.articles where load_id in (select load_id from replaced_loads);
delete from main.duplicates where load_id in (select load_id from replaced_loads);
delete from main.rejects where load_id in (select load_id from replaced_loads);
delete from main.input_files where load_id in (select load_id from replaced_loads);

update main.loads
set status = 'replaced'
where load_id in (select load_id from replaced_loads) and status = 'published';
