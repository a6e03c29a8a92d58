-- grain: one row per schema file already applied
select version from schema_version
