"""The static map in a language written right to left (Arabic) is mirrored as its page is: the
key prefers the left corners, each swatch, line or circle stands at the right of its words, the
words are aligned at the right, and the sources read from the right. English keeps its layout."""

from __future__ import annotations

from typing import Any

import pytest

from geo import pipeline
from geo.render.static import StaticMap, draw_map, figure_size
from geo.style import Style


@pytest.fixture(scope="module", params=["en", "ar"])
def drawn(request: pytest.FixtureRequest) -> StaticMap:
    """The bundled map at 100 dpi in English and in Arabic, drawn through once."""
    drawn = draw_map(pipeline.layers_for(style=Style(lang=request.param)), figure_size(dpi=100))
    drawn.figure.canvas.draw()
    return drawn


def key_of(drawn: StaticMap) -> Any:
    from matplotlib.offsetbox import AnchoredOffsetbox

    return next(a for a in drawn.ax.artists if isinstance(a, AnchoredOffsetbox))


def key_rows(drawn: StaticMap) -> list[tuple[str, Any, Any]]:
    """Each line of the key from the top: its words, their box, and the box of what is drawn
    beside them (None for a heading or a note), in display pixels."""
    from matplotlib.offsetbox import HPacker, TextArea

    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    rows = []
    for row in key_of(drawn).get_child().get_children():
        if isinstance(row, HPacker):
            words = next(c for c in row.get_children() if isinstance(c, TextArea))
            drawing = next(c for c in row.get_children() if not isinstance(c, TextArea))
            rows.append(
                (
                    words.get_text(),
                    words.get_window_extent(renderer),
                    drawing.get_window_extent(renderer),
                )
            )
        else:
            rows.append((row.get_text(), row.get_window_extent(renderer), None))
    return rows


def test_each_drawing_of_the_key_stands_where_the_reader_starts_the_line(
    drawn: StaticMap,
) -> None:
    rtl = drawn.layers.style.lang == "ar"
    rows = key_rows(drawn)
    with_drawings = [(text, words, drawing) for text, words, drawing in rows if drawing]
    assert len(with_drawings) >= 7  # two actors, three widths, two circles, the statuses
    for text, words, drawing in with_drawings:
        if rtl:
            assert drawing.x0 >= words.x1, text  # the swatch at the right of its words
        else:
            assert drawing.x1 <= words.x0, text


def test_the_key_is_aligned_on_the_side_its_language_starts_from(drawn: StaticMap) -> None:
    rtl = drawn.layers.style.lang == "ar"
    rows = key_rows(drawn)
    if rtl:  # every line ends at the key's right edge: headings, drawings, notes
        edges = [(drawing or words).x1 for _, words, drawing in rows]
    else:
        edges = [(drawing or words).x0 for _, words, drawing in rows]
    assert max(edges) - min(edges) < 1.0, rows
    notes = [words for text, words, drawing in rows if "\n" in text]
    assert notes  # the note on forks, on two lines, aligned as the rest


def test_the_key_takes_a_corner_on_its_languages_side_when_no_corner_is_clearer(
    drawn: StaticMap,
) -> None:
    """At this size the lower corners hide nothing of the data: the reader's side wins."""
    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    key = key_of(drawn).get_window_extent(renderer)
    frame = drawn.ax.get_window_extent(renderer)
    at_left = bool(key.x0 - frame.x0 < frame.x1 - key.x1)
    assert at_left == (drawn.layers.style.lang == "ar")
    assert key.y0 - frame.y0 < frame.y1 - key.y1  # a lower corner, as in English


def test_the_sources_read_from_the_side_the_language_starts_from(drawn: StaticMap) -> None:
    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = drawn.ax.get_window_extent(renderer)
    caption = sorted(
        (t for t in drawn.figure.texts if t.get_window_extent(renderer).y1 < frame.y0),
        key=lambda t: t.get_window_extent(renderer).x0,
    )
    first = "المصدر:" if drawn.layers.style.lang == "ar" else "Source:"
    in_reading_order = caption[::-1] if drawn.layers.style.lang == "ar" else caption
    assert in_reading_order[0].get_text() == first
    assert "themoscowtimes.com" in in_reading_order[1].get_text()
