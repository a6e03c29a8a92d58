-- grain: a single row of counts of what this run staged
select
    (select count(*) from staging.articles) as n_loaded,
    (select count(*) from staging.duplicates) as n_duplicates,
    (select count(*) from staging.rejects) as n_rejected,
    (select count(*) from staging.entities) as n_entities,
    (select count(*) from staging.entities as s anti join main.entities as e using (entity_id))
        as n_new_entities,
    (select count(*) from staging.mentions) as n_mentions
