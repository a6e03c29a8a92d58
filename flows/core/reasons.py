"""Reason codes for rejected inputs: a closed set so dashboards can group by them."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    UNREADABLE_FILE = "UNREADABLE_FILE"
    NOT_A_FILE = "NOT_A_FILE"
    EMPTY_FILE = "EMPTY_FILE"
    FILE_TOO_LARGE = "FILE_TOO_LARGE"
    BAD_GZIP = "BAD_GZIP"
    BINARY_FILE = "BINARY_FILE"
    BAD_ENCODING = "BAD_ENCODING"
    MALFORMED_JSON = "MALFORMED_JSON"
    NOT_AN_OBJECT = "NOT_AN_OBJECT"
    WRONG_TYPE = "WRONG_TYPE"
    MALFORMED_CSV = "MALFORMED_CSV"
    MISSING_TITLE = "MISSING_TITLE"
    MISSING_BODY = "MISSING_BODY"
    FIELD_TOO_LARGE = "FIELD_TOO_LARGE"
    # Fetching feeds and pages over HTTP (flows/core/fetch.py): the URL is the input_uri.
    FETCH_FAILED = "FETCH_FAILED"
    FETCH_TOO_LARGE = "FETCH_TOO_LARGE"


REASON_CODES: tuple[str, ...] = tuple(r.value for r in Reason)
