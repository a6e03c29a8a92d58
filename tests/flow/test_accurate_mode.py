"""The flow in accurate mode: three models vote on the sample article's entities."""

from __future__ import annotations

import pytest

from flows.settings import Settings
from tests.conftest import SAMPLE
from tests.flow.helpers import rows, run

pytestmark = [pytest.mark.flow]


def test_accurate_mode_publishes_what_the_vote_finds(settings: Settings) -> None:
    """The shipped model alone labels only "Islamic" (MISC, see test_pipeline.KNOWN_MISSES);
    both compact members find "Islamic State" as an ORG, so the vote publishes it."""
    state, report = run([SAMPLE], settings.with_(ner_model="accurate"))
    assert state.is_completed() and report.status == "published", report
    assert report.n_mentions > 0 and report.n_entities > 0
    orgs = rows(
        settings,
        "select canonical_name from entities where entity_type = 'ORG'",
        published=True,
    )
    assert ("Islamic State",) in orgs, orgs
    mentions = rows(
        settings,
        "select m.surface, m.start_char, m.end_char, m.in_title, a.title, a.body, m.confidence "
        "from mentions m join articles a using (article_id)",
        published=True,
    )
    assert len(mentions) == report.n_mentions
    for surface, start, end, in_title, title, body, confidence in mentions:
        assert (title if in_title else body)[start:end] == surface
        assert 0.0 <= confidence <= 1.0, (surface, confidence)
    assert "Islamic State" in {surface for surface, *_ in mentions}
