"""`wirehouse` command line: run, backfill, serve, query, status, rollback, export, dashboard, eval-ner.

Expected failures (missing path, busy warehouse, failed audit, bad SQL) print one line
and exit non-zero; only bugs show a traceback.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from flows.errors import EXIT_OK, UserError
from flows.settings import Settings, quiet_third_party_logging

if TYPE_CHECKING:  # pragma: no cover - typing only
    from flows.core.sources import FeedSource


class Terminated(KeyboardInterrupt):
    """SIGTERM, as a scheduler's timeout, `kill` or a container stop sends it."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    if getattr(args, "verbose", False):
        settings = settings.with_(verbose=True)
    quiet_third_party_logging(settings.verbose)
    # SIGTERM unwinds like Ctrl-C: its default (die at once) skips the exit handlers, which
    # left Prefect's temporary server and the tagging workers running with no parent.
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _terminate)
    try:
        return int(args.handler(args, settings))
    except UserError as exc:
        print(f"wirehouse: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt as exc:
        how, code = ("terminated", 143) if isinstance(exc, Terminated) else ("interrupted", 130)
        print(f"wirehouse: {how}; the next run cleans up after this one", file=sys.stderr)
        return code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wirehouse", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest files, folders or globs (.gz allowed)")
    run.add_argument(
        "paths",
        nargs="*",
        help="article files (text, JSONL, CSV, RSS/Atom, HTML), folders, globs, or feed URLs "
        "(http/https); default with --date: the day's landing partition",
    )
    run.add_argument(
        "--sources", type=Path, help="TOML file of feeds to fetch (see docs/input-formats.md)"
    )
    run.add_argument("--date", type=_parse_date, help="logical date of the run (default: now)")
    run.add_argument(
        "--reprocess", action="store_true", help="replace the --date day's rows (needs --date)"
    )
    _add_common_run_options(run)
    run.set_defaults(handler=_cmd_run)

    backfill = commands.add_parser("backfill", help="run each day of a range from landing")
    backfill.add_argument("--start", type=_parse_date, required=True, help="first day")
    backfill.add_argument("--end", type=_parse_date, required=True, help="last day (inclusive)")
    backfill.add_argument(
        "--reprocess",
        choices=("none", "failed", "all"),
        default="none",
        help="none: only days never run; failed: also days whose last run failed; "
        "all: every day, replacing its rows",
    )
    backfill.add_argument("--dry-run", action="store_true", help="print the plan only")
    _add_common_run_options(backfill)
    backfill.set_defaults(handler=_cmd_backfill)

    serve = commands.add_parser("serve", help="run daily on a schedule (Prefect deployment)")
    serve.add_argument("--cron", default=None, help="cron expression (default: 0 1 * * *)")
    serve.add_argument("--timezone", default="UTC", help="IANA timezone of the cron")
    serve.add_argument(
        "--catchup", action="store_true", help="first backfill days missed since the last run"
    )
    serve.set_defaults(handler=_cmd_serve)

    query = commands.add_parser("query", help="run read-only SQL on the published warehouse")
    query.add_argument("sql")
    query.add_argument("--format", choices=("table", "csv", "json"), default="table")
    query.set_defaults(handler=_cmd_query)

    status = commands.add_parser("status", help="recent runs, audits and rejects")
    status.add_argument("--limit", type=int, default=10)
    status.set_defaults(handler=_cmd_status)

    rollback = commands.add_parser(
        "rollback", help="point readers back at an earlier published version"
    )
    rollback.add_argument("version", nargs="?", type=int, help="default: the one before")
    rollback.set_defaults(handler=_cmd_rollback)

    export = commands.add_parser("export", help="write the published warehouse as Parquet")
    export.add_argument("dir", type=Path, help="target folder (tables are replaced)")
    export.add_argument("--format", choices=("parquet",), default="parquet")
    export.set_defaults(handler=_cmd_export)

    dashboard = commands.add_parser(
        "dashboard", help="browse the published warehouse in a web browser (Streamlit)"
    )
    dashboard.add_argument("--port", type=int, default=8501, help="local port (default: 8501)")
    dashboard.set_defaults(handler=_cmd_dashboard)

    evaluate = commands.add_parser("eval-ner", help="score the entity model on a CoNLL IOB file")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_cmd_eval_ner)
    return parser


def _add_common_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run parsing and extraction on this Dask scheduler (or WIREHOUSE_DASK_ADDRESS)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show Prefect's own logging")


def _parse_date(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from exc
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from flows.runner import run_and_report

    paths, feeds = _split_feeds(args.paths, args.sources)
    if args.date is None and ((not paths and not feeds) or args.reprocess):
        raise UserError("give the files to load, or --date DAY to load that day's landing folder")
    settings = settings.with_(feeds=feeds)
    if args.date is not None:
        settings = settings.with_(logical_date=args.date, reprocess=args.reprocess)
    if args.dask:
        settings = settings.with_(dask_address=args.dask)
    return run_and_report(paths, settings)


def _split_feeds(
    arguments: list[str], sources: Path | None
) -> tuple[list[str], tuple[FeedSource, ...]]:
    """http(s) arguments are feeds to fetch; everything else is a local path."""
    from flows.core.sources import FeedSource, load_sources, url_problem

    paths = [a for a in arguments if not a.lower().startswith(("http://", "https://"))]
    feeds: list[FeedSource] = []
    for url in (a for a in arguments if a not in paths):
        problem = url_problem(url)
        if problem:
            raise UserError(f"cannot fetch {url}: {problem}")
        feeds.append(FeedSource(url))
    if sources is not None:
        if not sources.is_file():
            raise UserError(f"no such sources file: {sources}")
        try:
            feeds.extend(load_sources(sources))
        except ValueError as exc:
            raise UserError(str(exc)) from None
    return paths, tuple(dict.fromkeys(feeds))


def _cmd_backfill(args: argparse.Namespace, settings: Settings) -> int:
    from flows.backfill import backfill

    if args.dask:
        settings = settings.with_(dask_address=args.dask)
    return backfill(settings, args.start.date(), args.end.date(), args.reprocess, args.dry_run)


def _cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from flows.schedule import DEFAULT_CRON, serve_schedule

    cron = args.cron or DEFAULT_CRON
    return serve_schedule(settings, cron, args.timezone, args.catchup, datetime.now(UTC))


def _cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from flows.export import export_parquet

    counts = export_parquet(settings, args.dir)
    print(f"exported {sum(counts.values())} rows in {len(counts)} tables to {args.dir}")
    return EXIT_OK


def _cmd_query(args: argparse.Namespace, settings: Settings) -> int:
    from flows.readers import query_published
    from flows.tables import render

    print(render(query_published(settings, args.sql), args.format))
    return EXIT_OK


def _cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    from flows.readers import status_text

    print(status_text(settings, args.limit))
    return EXIT_OK


def _cmd_rollback(args: argparse.Namespace, settings: Settings) -> int:
    from flows.versions import rollback

    version = rollback(settings, args.version)
    print(f"readers now see version {version} ({settings.published_db})")
    return EXIT_OK


def _cmd_dashboard(args: argparse.Namespace, settings: Settings) -> int:
    from dashboards.launch import serve_dashboard

    return serve_dashboard(settings, args.port)


def _cmd_eval_ner(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from flows.core.entities.ensemble import members
    from flows.core.entities.evaluate import evaluate_file, format_report
    from flows.core.entities.ner import ModelError, load_pipeline

    if not args.file.is_file():
        raise UserError(f"no such file: {args.file}")
    try:
        pipelines = [load_pipeline(name) for name in members(settings.ner_model)]
    except ModelError as exc:
        raise UserError(str(exc)) from None
    result = evaluate_file(args.file, pipelines)
    print(json.dumps(result) if args.json else format_report(result))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
