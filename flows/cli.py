"""`wirehouse` command line: run, query, status, eval-ner.

Expected failures (missing path, busy warehouse, failed audit, bad SQL) print one line
and exit non-zero; only bugs show a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from flows.errors import EXIT_OK, UserError
from flows.settings import Settings, quiet_third_party_logging


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    if getattr(args, "verbose", False):
        settings = settings.with_(verbose=True)
    quiet_third_party_logging(settings.verbose)
    try:
        return int(args.handler(args, settings))
    except UserError as exc:
        print(f"wirehouse: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("wirehouse: interrupted; the next run cleans up after this one", file=sys.stderr)
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="wirehouse", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="ingest files, folders or globs (.gz allowed)")
    run.add_argument("paths", nargs="+", help="article files (text, JSONL, CSV), folders, globs")
    run.add_argument("--date", type=_parse_date, help="logical date of the run (default: now)")
    run.add_argument("-v", "--verbose", action="store_true", help="show Prefect's own logging")
    run.set_defaults(handler=_cmd_run)

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

    evaluate = commands.add_parser("eval-ner", help="score the entity model on a CoNLL IOB file")
    evaluate.add_argument("file", type=Path)
    evaluate.add_argument("--json", action="store_true", help="print one JSON object")
    evaluate.set_defaults(handler=_cmd_eval_ner)
    return parser


def _parse_date(value: str) -> datetime:
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from exc
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from flows.runner import run_and_report

    if args.date is not None:
        settings = settings.with_(logical_date=args.date)
    return run_and_report(list(args.paths), settings)


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


def _cmd_eval_ner(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from flows.core.entities.evaluate import evaluate_file, format_report
    from flows.core.entities.ner import load_pipeline

    if not args.file.is_file():
        raise UserError(f"no such file: {args.file}")
    result = evaluate_file(args.file, load_pipeline(settings.ner_model))
    print(json.dumps(result) if args.json else format_report(result))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
