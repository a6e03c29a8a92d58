"""Prefect tasks: thin wrappers that call core/ logic and the warehouse, one module a stage.

Tasks receive whole batches (DataFrames), never single articles, and skip Prefect's input
caching: batches are large and a run is already idempotent through the warehouse ledger.
"""
