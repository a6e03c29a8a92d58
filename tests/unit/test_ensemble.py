"""Accurate mode's pieces without a model: the model setting, the majority rule, the vote."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.core.entities import ensemble
from flows.core.entities.ensemble import ACCURATE_MEMBERS, majority, members, vote
from flows.core.entities.ner import LABELS, SCHEMA, SHIPPED_MODEL_DIR, ModelError

# ---------------------------------------------------------------------------------------
# members: what a WIREHOUSE_NER_MODEL setting names


def test_accurate_members_are_the_shipped_model_and_the_two_compact_seeds() -> None:
    models = SHIPPED_MODEL_DIR.parent
    assert (None, str(models / "ner_en_vote1"), str(models / "ner_en_vote2")) == ACCURATE_MEMBERS


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        pytest.param(None, (None,), id="unset"),
        pytest.param("", (None,), id="empty"),
        pytest.param("  ", (None,), id="blank"),
        pytest.param("shipped", (None,), id="shipped"),
        pytest.param(" shipped ", (None,), id="shipped-padded"),
        pytest.param("accurate", ACCURATE_MEMBERS, id="accurate"),
        pytest.param("en_core_web_sm", ("en_core_web_sm",), id="one-name"),
        pytest.param("a,b,c", ("a", "b", "c"), id="list"),
        pytest.param(" a , shipped ,b", ("a", None, "b"), id="list-padded-with-shipped"),
        pytest.param("/m/one,/m/two", ("/m/one", "/m/two"), id="two-directories"),
    ],
)
def test_members(setting: str | None, expected: tuple[str | None, ...]) -> None:
    assert members(setting) == expected


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        pytest.param("a,,b", "empty entry between commas", id="empty-middle"),
        pytest.param("a,", "empty entry between commas", id="trailing-comma"),
        pytest.param(",a", "empty entry between commas", id="leading-comma"),
        pytest.param("a, ,b", "empty entry between commas", id="blank-entry"),
        pytest.param("a,a", "names the same pipeline twice", id="duplicate"),
        pytest.param("a, b ,a", "names the same pipeline twice", id="duplicate-padded"),
        pytest.param("shipped,shipped", "names the same pipeline twice", id="shipped-twice"),
        pytest.param(
            f"shipped,{SHIPPED_MODEL_DIR}", "names the same pipeline twice", id="shipped-by-path"
        ),
        pytest.param(
            f"{SHIPPED_MODEL_DIR.parent / 'ner_en_vote1'},{SHIPPED_MODEL_DIR.parent}/./ner_en_vote1/",
            "names the same pipeline twice",
            id="one-directory-spelled-twice",
        ),
        pytest.param("accurate,a", "'accurate' is a setting of its own", id="accurate-in-a-list"),
    ],
)
def test_bad_member_lists_are_model_errors(setting: str, message: str) -> None:
    with pytest.raises(ModelError, match=message) as raised:
        members(setting)
    assert "WIREHOUSE_NER_MODEL" in str(raised.value)
    assert repr(setting) in str(raised.value)  # the user sees what they set


@pytest.mark.parametrize(
    "setting",
    [
        None,
        "shipped",
        "accurate",
        f"shipped,{SHIPPED_MODEL_DIR.parent / 'ner_en_vote1'},hypothesis",
    ],
)
def test_check_accepts_directories_and_installed_packages(setting: str | None) -> None:
    ensemble.check(setting)  # "hypothesis" stands in for an installed package: it is importable


@pytest.mark.parametrize(
    ("setting", "missing"),
    [
        ("/nonexistent/model", "/nonexistent/model"),
        ("en_core_web_nonexistent", "en_core_web_nonexistent"),
        ("shipped,no/such/dir", "no/such/dir"),
    ],
)
def test_check_names_the_member_that_is_neither_a_directory_nor_a_package(
    setting: str, missing: str
) -> None:
    with pytest.raises(ModelError, match="neither a pipeline directory") as raised:
        ensemble.check(setting)
    assert repr(missing) in str(raised.value)


def test_load_fails_on_the_first_broken_member_with_a_model_error() -> None:
    """Nothing is tagged before every member loaded (here the first one is missing)."""
    with pytest.raises(ModelError, match="Could not load spaCy pipeline '/nonexistent/one'"):
        ensemble.load("/nonexistent/one,/nonexistent/two")


# ---------------------------------------------------------------------------------------
# majority: keys more than half of the members found

A, B, C = (0, 0, 1, "PER"), (0, 2, 3, "LOC"), (1, 0, 2, "ORG")


@pytest.mark.parametrize(
    ("votes", "n_members", "expected"),
    [
        pytest.param([[A, B], [A], [C]], 3, [A], id="two-of-three"),
        pytest.param([[A], [B], [C]], 3, [], id="one-each"),
        pytest.param([[A, B, C], [A, B, C], [A, B, C]], 3, [A, B, C], id="unanimous"),
        pytest.param([[A], [A]], 2, [A], id="two-of-two"),
        pytest.param([[A], [B]], 2, [], id="half-is-not-a-majority"),
        pytest.param([[A, A, A], [], []], 3, [], id="a-member-counts-once"),
        pytest.param([[A], [A]], 5, [], id="silent-members-count"),
        pytest.param([[A], [A], [A]], 5, [A], id="three-of-five"),
        pytest.param([[C, B, A], [A, C, B], []], 3, [A, B, C], id="sorted"),
        pytest.param([[A]], 1, [A], id="single-member"),
        pytest.param([], 1, [], id="no-votes"),
    ],
)
def test_majority(votes: list[list[tuple]], n_members: int, expected: list[tuple]) -> None:
    assert majority(votes, n_members) == expected


# ---------------------------------------------------------------------------------------
# vote: the same rule on ner.SCHEMA frames


def spans(*rows: tuple[int, int, int, str, float]) -> pl.DataFrame:
    """A member's frame from (text_index, start, end, label, confidence); the other
    columns follow from the bounds, as they do for real spans of one text."""
    return pl.DataFrame(
        {
            "text_index": [r[0] for r in rows],
            "start_char": [r[1] for r in rows],
            "end_char": [r[2] for r in rows],
            "surface": [f"t{r[0]}[{r[1]}:{r[2]}]" for r in rows],
            "label": [r[3] for r in rows],
            "sentence_index": [r[1] // 100 for r in rows],
            "confidence": [r[4] for r in rows],
            "sentence_start": [r[1] // 100 * 100 for r in rows],
            "sentence_end": [r[1] // 100 * 100 + 100 for r in rows],
        },
        schema=SCHEMA,
    )


def keys(frame: pl.DataFrame) -> list[tuple]:
    return frame.select(ensemble.SPAN_KEY).rows()


def test_a_span_two_of_three_agree_on_is_kept_with_the_mean_confidence() -> None:
    kept = vote([spans((0, 0, 5, "PER", 0.9)), spans((0, 0, 5, "PER", 0.6)), spans()])
    assert kept.rows() == spans((0, 0, 5, "PER", (0.9 + 0.6) / 3)).rows()
    assert kept["confidence"][0] == pytest.approx(0.5)


def test_a_unanimous_span_keeps_its_mean_confidence() -> None:
    kept = vote([spans((2, 7, 9, "ORG", c)) for c in (0.3, 0.6, 0.9)])
    assert keys(kept) == [(2, 7, 9, "ORG")]
    assert kept["confidence"][0] == pytest.approx(0.6)


def test_a_span_only_one_member_has_is_dropped() -> None:
    kept = vote([spans((0, 0, 5, "PER", 0.99)), spans(), spans()])
    assert kept.height == 0


def test_same_bounds_with_a_different_label_each_is_dropped() -> None:
    three_labels = [spans((0, 0, 5, label, 0.9)) for label in ("PER", "ORG", "LOC")]
    assert vote(three_labels).height == 0
    two_labels = [spans((0, 0, 5, "PER", 0.9)), spans((0, 0, 5, "ORG", 0.9)), spans()]
    assert vote(two_labels).height == 0


def test_labels_are_compared_exactly() -> None:
    """Two members with PER beat one with ORG on the same bounds: only PER is kept."""
    kept = vote(
        [spans((0, 0, 5, "PER", 0.8)), spans((0, 0, 5, "ORG", 0.7)), spans((0, 0, 5, "PER", 0.4))]
    )
    assert keys(kept) == [(0, 0, 5, "PER")]
    assert kept["confidence"][0] == pytest.approx((0.8 + 0.4) / 3)


def test_different_bounds_are_different_spans() -> None:
    frames = [
        spans((0, 0, 5, "ORG", 0.9)),
        spans((0, 0, 6, "ORG", 0.9)),
        spans((0, 1, 5, "ORG", 0.9)),
    ]
    assert vote(frames).height == 0


def test_the_same_bounds_in_another_text_are_another_span() -> None:
    frames = [spans((0, 0, 5, "ORG", 0.9)), spans((1, 0, 5, "ORG", 0.9)), spans()]
    assert vote(frames).height == 0


def test_two_members_must_both_agree() -> None:
    kept = vote(
        [spans((0, 0, 5, "PER", 0.8), (0, 9, 12, "LOC", 0.8)), spans((0, 0, 5, "PER", 0.4))]
    )
    assert keys(kept) == [(0, 0, 5, "PER")]
    assert kept["confidence"][0] == pytest.approx(0.6)


def test_output_schema_and_order() -> None:
    """Rows come out by text, then position, whatever order the members listed them in."""
    rows = [(1, 40, 45, "LOC", 0.5), (0, 200, 210, "ORG", 0.5), (1, 3, 8, "PER", 0.5)]
    rows += [(0, 10, 15, "MISC", 0.5), (2, 0, 1, "PER", 0.5)]
    kept = vote([spans(*rows), spans(*reversed(rows)), spans(*rows[2:], *rows[:2])])
    assert kept.schema == pl.Schema(SCHEMA)
    assert [(r[0], r[1]) for r in keys(kept)] == [(0, 10), (0, 200), (1, 3), (1, 40), (2, 0)]
    # the rest of each row is the members' (surface and sentence follow from the bounds)
    assert kept.drop("confidence").rows() == spans(*sorted(rows)).drop("confidence").rows()


def test_a_single_frame_is_returned_unchanged() -> None:
    """One pipeline is no vote: its rows (and their order) stay exactly as tagged."""
    frame = spans((1, 5, 9, "LOC", 0.3), (0, 0, 4, "PER", 0.7))
    assert vote([frame]).equals(frame)


@pytest.mark.parametrize("n_members", [2, 3, 5])
def test_empty_frames_give_an_empty_frame_with_the_schema(n_members: int) -> None:
    kept = vote([pl.DataFrame(schema=SCHEMA) for _ in range(n_members)])
    assert kept.height == 0
    assert kept.schema == pl.Schema(SCHEMA)


def test_empty_members_count_as_votes_against() -> None:
    kept = vote([spans((0, 0, 5, "PER", 0.9)), spans((0, 0, 5, "PER", 0.9)), spans(), spans()])
    assert kept.height == 0  # 2 of 4 is not more than half
    kept = vote([spans((0, 0, 5, "PER", 0.9)), spans((0, 0, 5, "PER", 0.9)), spans()])
    assert kept.height == 1


# Random members: each picks, in its own order, non-overlapping spans from one shared pool of
# candidates (overlapping ones among them), so that members often agree and often nearly do.
CANDIDATE = st.tuples(
    st.integers(0, 2), st.integers(0, 10), st.integers(1, 4), st.sampled_from(LABELS[:2])
)


def _overlap(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


@st.composite
def members_of_a_vote(draw: st.DrawFn) -> list[pl.DataFrame]:
    pool = [(t, s, s + n, label) for t, s, n, label in draw(st.lists(CANDIDATE, max_size=12))]
    frames = []
    for _ in range(draw(st.integers(2, 5))):
        chosen: list[tuple] = []
        for span in draw(st.permutations(pool)):
            if draw(st.booleans()) and not any(_overlap(span, c) for c in chosen):
                chosen.append(span)
        frames.append(spans(*[(*span, draw(st.floats(0.0, 1.0))) for span in chosen]))
    return frames


@settings(max_examples=150, deadline=None)
@given(frames=members_of_a_vote())
def test_vote_agrees_with_majority_and_kept_spans_never_overlap(
    frames: list[pl.DataFrame],
) -> None:
    kept = vote(frames)
    n = len(frames)
    assert kept.schema == pl.Schema(SCHEMA)
    assert keys(kept) == majority([keys(f) for f in frames], n)  # same rule, same order
    # A kept span's confidence is the sum over the members that have it, divided by n.
    for row in kept.iter_rows(named=True):
        key = tuple(row[k] for k in ensemble.SPAN_KEY)
        having = [
            f.filter(
                (pl.col("text_index") == key[0])
                & (pl.col("start_char") == key[1])
                & (pl.col("end_char") == key[2])
                & (pl.col("label") == key[3])
            )["confidence"].sum()
            for f in frames
        ]
        assert row["confidence"] == pytest.approx(sum(having) / n)
        assert 0.0 <= row["confidence"] <= 1.0
    # No two kept spans of one text overlap (nor share bounds with different labels).
    for (_,), text_spans in kept.group_by(["text_index"]):
        bounds = sorted(zip(text_spans["start_char"], text_spans["end_char"], strict=True))
        for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
            assert end <= start, bounds


# ---------------------------------------------------------------------------------------
# tag: members tag one after the other, their vote comes back


def test_tag_votes_the_members_and_shares_the_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stand-in members (no model): each tags the texts; progress moves across all members."""
    predictions = {
        "a": spans((0, 0, 5, "PER", 0.9), (1, 0, 3, "LOC", 0.6)),
        "b": spans((0, 0, 5, "PER", 0.3)),
        "c": spans((1, 0, 3, "LOC", 0.3), (1, 4, 7, "ORG", 0.9)),
    }
    loaded: list[str | None] = []
    monkeypatch.setattr(ensemble, "load_pipeline", lambda name: loaded.append(name) or name)

    def fake_extract(nlp: str, texts, progress=None) -> pl.DataFrame:
        if progress is not None:
            progress(0)
            progress(len(texts))
        return predictions[nlp]

    monkeypatch.setattr(ensemble, "extract_spans", fake_extract)
    seen: list[int] = []
    texts = ["Alice went.", "Oslo, Acme."] * 3  # 6 texts
    kept = ensemble.tag("a, b ,c", texts, seen.append)
    assert loaded == ["a", "b", "c"]
    assert keys(kept) == [(0, 0, 5, "PER"), (1, 0, 3, "LOC")]
    assert kept["confidence"].to_list() == pytest.approx([0.4, 0.3])
    assert seen == sorted(seen) and seen[0] == 0 and seen[-1] == len(texts)
    assert max(seen) <= len(texts)


def test_tag_with_one_member_is_that_members_spans(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = spans((0, 0, 5, "PER", 0.9))
    monkeypatch.setattr(ensemble, "load_pipeline", lambda name: name)
    monkeypatch.setattr(ensemble, "extract_spans", lambda nlp, texts, progress=None: frame)
    assert ensemble.tag("only", ["Alice"]).equals(frame)
    with pytest.raises(ModelError, match="empty entry"):
        ensemble.tag("a,,b", ["Alice"])
