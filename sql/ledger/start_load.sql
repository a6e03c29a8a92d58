-- grain: one new row per run, committed before any work so an interrupted run is visible
insert into loads (load_id, started_at, status, logical_date, inputs)
values ($load_id, $started_at, 'running', $logical_date, $inputs)
