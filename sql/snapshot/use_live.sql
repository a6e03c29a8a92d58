-- grain: back to the live catalog (the file is always named news.duckdb)
use news
