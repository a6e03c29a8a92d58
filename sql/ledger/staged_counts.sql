-- grain: a single row of counts of what this run staged
select
    (select count(*) from staging.articles) as n_loaded,
    (select count(*) from staging.duplicates) as n_duplicates,
    (select count(*) from staging.rejects) as n_rejected,
    (
        select count(*)
        from staging.rejects as s
        anti join main.rejects as r
            on r.input_uri = s.input_uri
            and r.input_record is not distinct from s.input_record
            and r.reason_code = s.reason_code
    ) as n_new_rejects,
    (
        select count(*)
        from staging.duplicates as s
        anti join main.duplicates as d
            on d.input_uri = s.input_uri and d.input_record is not distinct from s.input_record
    ) as n_new_duplicates,
    (select count(*) from staging.entities) as n_entities,
    (select count(*) from staging.entities as s anti join main.entities as e using (entity_id))
        as n_new_entities,
    (select count(*) from staging.mentions) as n_mentions
