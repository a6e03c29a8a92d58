-- grain: closes one run's ledger row with its outcome and counts
update loads set
    finished_at = $finished_at,
    status = $status,
    n_files = $n_files,
    n_unchanged_files = $n_unchanged_files,
    n_records = $n_records,
    n_loaded = $n_loaded,
    n_duplicates = $n_duplicates,
    n_rejected = $n_rejected,
    n_unparsed_dates = $n_unparsed_dates,
    n_entities = $n_entities,
    n_new_entities = $n_new_entities,
    n_mentions = $n_mentions,
    timings = $timings,
    audit_success = $audit_success,
    audit_summary = $audit_summary,
    published_version = $published_version,
    message = $message
where load_id = $load_id
