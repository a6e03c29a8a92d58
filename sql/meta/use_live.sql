-- grain: makes the live file (always named news.duckdb, attached as news) the default catalog
use news
