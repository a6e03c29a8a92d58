"""HTML and Graphviz text built from warehouse values, escaped so data never becomes markup.

Pure functions (no Streamlit): article text with its mentions highlighted, links to the
entities page, and the co-occurrence network as DOT.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

# Background colours per entity type (light, so the text stays readable).
TYPE_COLOURS = {
    "PERSON": "#ffe08a",
    "ORG": "#b8e0ff",
    "GPE": "#c6f0c2",
    "LOC": "#d7f5e9",
    "NORP": "#f7c9e3",
    "MISC": "#e4dcff",
}
DEFAULT_COLOUR = "#eeeeee"


@dataclass(frozen=True)
class Span:
    """One mention: text[start:end] refers to the entity, with the model's confidence."""

    start: int
    end: int
    entity_id: str
    name: str
    entity_type: str
    confidence: float | None = None


def entity_href(entity_id: str) -> str:
    """Relative link to the entities page, so it also works under a server base path."""
    return "entities?" + urlencode({"entity": entity_id})


def entity_link(entity_id: str, label: str, entity_type: str, title: str = "") -> str:
    """A coloured link to the entity; label and title are shown as text, never as markup."""
    colour = _colour(entity_type)
    hover = f"{title} · {entity_type}" if title else entity_type
    return (
        f'<a href="{html.escape(entity_href(entity_id))}" target="_self" '
        f'title="{html.escape(hover)}" '
        f'style="background:{colour};padding:0 2px;border-radius:3px;color:inherit">'
        f"{html.escape(label)}</a>"
    )


def highlight(text: str, spans: Iterable[Span]) -> str:
    """The text as HTML, each mention a coloured link to its entity.

    Overlapping or out-of-range spans are skipped (the earliest, then longest, wins), so bad
    offsets can never cut a tag in half; everything else is escaped.
    """
    parts: list[str] = []
    position = 0
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start < position or span.end > len(text) or span.start >= span.end:
            continue
        parts.append(html.escape(text[position : span.start]))
        surface = text[span.start : span.end]
        title = span.name
        if span.confidence is not None:  # readers can see which mentions the model doubted
            title = f"{span.name} · confidence {span.confidence:.2f}"
        parts.append(entity_link(span.entity_id, surface, span.entity_type, title))
        position = span.end
    parts.append(html.escape(text[position:]))
    return "".join(parts)


def dot_quote(value: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, one line."""
    cleaned = " ".join(value.split())
    return '"' + cleaned.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cooccurrence_dot(
    center: str, center_type: str, partners: Iterable[tuple[str, str, int]]
) -> str:
    """A star network: the entity in the middle, partners around it, edges as thick as the
    number of shared articles. Node ids are generated; names appear only as quoted labels."""
    partners = list(partners)
    heaviest = max((n for _, _, n in partners), default=1)
    lines = [
        "graph cooccurrence {",
        '  layout="neato"; overlap="false"; splines="true";',
        '  node [shape="box", style="rounded,filled", fontname="sans-serif", fontsize="11"];',
        f"  n0 [label={dot_quote(center)}, fillcolor={dot_quote(_colour(center_type))}, "
        'penwidth="2"];',
    ]
    for index, (name, entity_type, n_articles) in enumerate(partners, start=1):
        width = 1 + 5 * n_articles / heaviest
        lines.append(
            f"  n{index} [label={dot_quote(name)}, fillcolor={dot_quote(_colour(entity_type))}];"
        )
        lines.append(
            f'  n0 -- n{index} [penwidth="{width:.2f}", label="{int(n_articles)}", fontsize="9"];'
        )
    lines.append("}")
    return "\n".join(lines)


def _colour(entity_type: str) -> str:
    return TYPE_COLOURS.get(entity_type, DEFAULT_COLOUR)
