-- grain: a single row: the number the next published snapshot gets
select coalesce(max(published_version), 0) + 1 as version from loads
