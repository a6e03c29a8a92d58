-- grain: a single row: true when the snapshot was written by the same schema version as the
-- live file (else its tables may lack columns and it must be copied whole)
select
    (select max(version) from snap.main.schema_version)
    = (select max(version) from news.main.schema_version) as same_schema
