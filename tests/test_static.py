"""The static map (PNG, SVG, PDF): size, projection, where the arrows land, text, sameness."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from geo import pipeline
from geo.errors import UsageError
from geo.geometry import distance_km
from geo.layers import Layers
from geo.render.static import (
    StaticMap,
    draw_map,
    figure_size,
    parse_length,
    projection_for,
    render_static,
)

US_BLUE = "#0072B2"
RUSSIA_ORANGE = "#D55E00"
SEA = "#d4e3ec"
ROMANIA = (24.9726, 45.7332)
BELARUS = (28.4177, 53.8219)
BORDER_AREA = (36.2, 51.1)

WORLD_CSV = """
    id,actor,origin,destination,troops,status
    pacific,United States,United States,Japan,5000,arrived
    bering,Russia,"43.12,131.9","61.22,-149.9",300,claimed
    europe,United Kingdom,United Kingdom,Estonia,900,arrived
"""


@pytest.fixture(scope="module")
def layers() -> Layers:
    return pipeline.layers_for()


@pytest.fixture(scope="module")
def drawn(layers: Layers) -> StaticMap:
    """The bundled map at 100 dpi: 800 × 550 pixels, quick to draw and to check."""
    return draw_map(layers, figure_size(dpi=100))


@pytest.fixture(scope="module")
def png(drawn: StaticMap) -> Image.Image:
    return Image.open(io.BytesIO(drawn.to_bytes("png"))).convert("RGB")


@pytest.fixture(scope="module")
def svg(drawn: StaticMap) -> str:
    return drawn.to_bytes("svg").decode("utf-8")


def rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def nearest(image: Image.Image, at: tuple[float, float], colour: str, reach: int = 6) -> float:
    """How close (0 = exactly) the pixels around ``at`` come to ``colour``."""
    target = rgb(colour)
    x0, y0 = round(at[0]), round(at[1])
    best = 1e9
    for x in range(x0 - reach, x0 + reach + 1):
        for y in range(y0 - reach, y0 + reach + 1):
            if 0 <= x < image.width and 0 <= y < image.height:
                pixel = image.getpixel((x, y))
                best = min(best, sum((a - b) ** 2 for a, b in zip(pixel, target, strict=True)))
    return best**0.5


def test_png_is_the_size_asked_for_in_pixels_or_inches(layers: Layers) -> None:
    in_pixels = Image.open(
        io.BytesIO(render_static(layers, "png", width="900", height="600", dpi=100))
    )
    assert in_pixels.size == (900, 600)
    in_inches = Image.open(io.BytesIO(render_static(layers, "png", width="6in", dpi=100)))
    assert in_inches.size == (600, round(600 * 5.5 / 8))


def test_sizes_read_as_people_write_them() -> None:
    assert parse_length("1600", 200) == 8.0
    assert parse_length("1600px", 200) == 8.0
    assert parse_length("8in", 300) == 8.0
    assert parse_length("20.32cm", 300) == pytest.approx(8.0)
    assert parse_length("203.2 mm", 300) == pytest.approx(8.0)
    assert figure_size().pixels == (2400, 1650)  # 8 × 5.5 inches at 300 dpi: print quality


def test_a_size_that_is_not_a_size_says_what_is(layers: Layers) -> None:
    with pytest.raises(UsageError, match=r'"3ft" is not a size. Give pixels \(1600 or 1600px\)'):
        figure_size("3ft")
    with pytest.raises(UsageError, match=r"a width of 0\.33 inches is out of range: give 2 to 60"):
        figure_size("100")
    with pytest.raises(UsageError, match="--dpi 5 is out of range"):
        figure_size(dpi=5)


def test_europe_is_drawn_in_an_equal_area_projection_centred_on_the_movements(
    layers: Layers,
) -> None:
    crs = projection_for(layers)
    assert crs.startswith("+proj=laea")
    lat0 = float(re.search(r"\+lat_0=([\d.-]+)", crs).group(1))  # type: ignore[union-attr]
    lon0 = float(re.search(r"\+lon_0=([\d.-]+)", crs).group(1))  # type: ignore[union-attr]
    assert 45 < lat0 < 60 and 15 < lon0 < 40


def test_arrowheads_end_on_the_places_they_go_to(drawn: StaticMap, png: Image.Image) -> None:
    # Each tip is drawn in its actor's colour right at the destination's point...
    assert nearest(png, drawn.pixel_of(*ROMANIA), US_BLUE) < 40
    assert nearest(png, drawn.pixel_of(*BELARUS), RUSSIA_ORANGE) < 40
    # ...and not just anywhere: far from every flow there is sea or land, not an arrow.
    baltic = drawn.pixel_of(18.0, 58.0)
    assert nearest(png, baltic, US_BLUE, reach=3) > 60
    assert nearest(png, baltic, RUSSIA_ORANGE, reach=3) > 60
    assert nearest(png, baltic, SEA, reach=0) < 12


def test_stationed_forces_are_circles_around_their_place(
    drawn: StaticMap, png: Image.Image, layers: Layers
) -> None:
    x, y = drawn.pixel_of(*BORDER_AREA)
    radius_px = drawn_radius = layers.radius_for(100_000) * 0.75 * (8 / 13.33) * 100 / 72
    assert drawn_radius > 8
    rim = [(x + radius_px, y), (x - radius_px, y), (x, y + radius_px), (x, y - radius_px)]
    for point in rim:
        assert nearest(png, point, RUSSIA_ORANGE, reach=2) < 40


def test_svg_parses_and_keeps_its_words_as_text(svg: str) -> None:
    root = ET.fromstring(svg)
    words = {"".join(t.itertext()).strip() for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "United States and Russia: troop movements" in words
    assert {"1,000", "~30,000", "2,000 · split not reported", "~100,000"} <= words
    assert {"United States", "Russia", "30,000 troops", "100,000 stationed"} <= words
    assert "announced or claimed" in words
    assert "As of 2 February 2022" in words
    assert {"ROMANIA", "BELARUS", "UKRAINE"} <= words
    assert 'xlink:href="https://www.themoscowtimes.com/2022/02/02/' in svg  # the source, a link


def test_pdf_opens_as_one_page_with_text_and_the_arrows_in_place(
    drawn: StaticMap, layers: Layers
) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(drawn.to_bytes("pdf"))
    assert len(pdf) == 1
    assert pdf[0].get_size() == (576.0, 396.0)  # 8 × 5.5 inches
    text = pdf[0].get_textpage().get_text_range()
    assert "United States and Russia: troop movements" in text
    assert "themoscowtimes.com" in text
    assert pdf.get_metadata_dict()["Title"] == layers.title
    image = pdf[0].render(scale=100 / 72).to_pil().convert("RGB")
    assert image.size == (800, 550)
    assert nearest(image, drawn.pixel_of(*ROMANIA), US_BLUE) < 40
    assert nearest(image, drawn.pixel_of(*BELARUS), RUSSIA_ORANGE) < 40


def test_the_same_map_gives_the_same_bytes(layers: Layers, drawn: StaticMap) -> None:
    again = draw_map(layers, figure_size(dpi=100))
    for fmt in ("png", "svg", "pdf"):
        assert drawn.to_bytes(fmt) == again.to_bytes(fmt), fmt
    assert b"CreationDate" not in drawn.to_bytes("pdf")
    assert "<dc:date>" not in drawn.to_bytes("svg").decode()


def texts(drawn: StaticMap) -> list[Any]:
    return [t for t in [*drawn.figure.texts, *drawn.ax.texts] if t.get_text()]


def test_no_label_is_cut_off_by_the_frame_or_the_page(drawn: StaticMap) -> None:
    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = drawn.ax.get_window_extent(renderer)
    for box in drawn.placed:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, box
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1, box
    page = drawn.figure.bbox
    for text in texts(drawn):
        box = text.get_window_extent(renderer)
        assert page.x0 <= box.x0 and box.x1 <= page.x1, text.get_text()
        assert page.y0 <= box.y0 and box.y1 <= page.y1, text.get_text()


def test_labels_do_not_cover_each_other(drawn: StaticMap) -> None:
    boxes = drawn.placed
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)


@pytest.mark.parametrize("width", ["3.5in", "8in", "14in"])
def test_text_stays_legible_in_print_at_any_size(layers: Layers, width: str) -> None:
    drawn = draw_map(layers, figure_size(width, dpi=72))
    sizes = [t.get_fontsize() for t in texts(drawn)]
    assert min(sizes) >= 6.0, sizes
    title = max(sizes)
    assert title >= 10.0


def test_a_long_title_wraps_instead_of_running_off_the_page(
    write_csv: Callable[..., Path],
) -> None:
    csv = write_csv("""
        actor,origin,destination,troops
        France,France,Romania,500
    """)
    long_title = "French troops sent to Romania to lead a new NATO battlegroup " * 3
    layers = pipeline.layers_for(csv, title=long_title.strip())
    drawn = draw_map(layers, figure_size("5in", dpi=72))
    renderer = drawn.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    header = [t for t in drawn.figure.texts if t.get_fontweight() == "bold"]
    assert len(header) >= 3
    for text in header:
        assert text.get_window_extent(renderer).x1 <= drawn.figure.bbox.x1


def test_a_map_of_the_world_uses_equal_earth_and_cuts_flows_at_its_edge(
    write_csv: Callable[..., Path],
) -> None:
    from matplotlib.collections import LineCollection

    layers = pipeline.layers_for(write_csv(WORLD_CSV))
    assert projection_for(layers).startswith("+proj=eqearth")
    drawn = draw_map(layers, figure_size(dpi=50))
    x0, x1 = drawn.ax.get_xlim()
    lines = [c for c in drawn.ax.collections if isinstance(c, LineCollection)]
    assert lines
    for segment in lines[0].get_segments():
        # A flow over the Pacific must not streak across the whole map.
        steps = abs(segment[1:, 0] - segment[:-1, 0])
        assert steps.max() < (x1 - x0) * 0.25


def test_a_busy_route_stays_near_its_places(write_csv: Callable[..., Path]) -> None:
    """Hundreds of movements between the same two places fan out only so far: the curves of the
    static map and of the GIS files stay near the two places, and inside the map."""
    from matplotlib.collections import LineCollection

    rows = "".join(f"Poland,Poland,Lithuania,{100 + i}\n" for i in range(300))
    layers = pipeline.layers_for(write_csv("actor,origin,destination,troops\n" + rows))
    ends = {
        name: (point.x, point.y)
        for name, point in zip(layers.places["name"], layers.places.geometry, strict=True)
    }
    poland, lithuania = ends["Poland"], ends["Lithuania"]
    route = distance_km(poland, lithuania)
    for line in [*layers.flows.geometry, *(head.exterior for head in layers.heads.geometry)]:
        for point in line.coords:  # no farther from either place than the two are apart
            assert max(distance_km(poland, point), distance_km(lithuania, point)) < route * 1.01
    drawn = draw_map(layers, figure_size(dpi=40))
    (x0, x1), (y0, y1) = drawn.ax.get_xlim(), drawn.ax.get_ylim()
    curves = [c for c in drawn.ax.collections if isinstance(c, LineCollection)]
    assert sum(len(c.get_segments()) for c in curves) >= 300
    for segment in (s for c in curves for s in c.get_segments()):
        assert x0 <= segment[:, 0].min() and segment[:, 0].max() <= x1
        assert y0 <= segment[:, 1].min() and segment[:, 1].max() <= y1


def test_maps_with_only_stationed_forces_or_only_movements_draw(
    write_csv: Callable[..., Path],
) -> None:
    stationed = write_csv(
        """
        actor,destination,troops,status
        NATO,Tapa,1200,reported
        NATO,Adazi=1500; Rukla=1100,2600,reported
    """,
        name="stationed.csv",
    )
    moving = write_csv(
        """
        actor,origin,destination,troops,status
        Poland,Poland,Lithuania,800,withdrawn
    """,
        name="moving.csv",
    )
    for csv in (stationed, moving):
        data = render_static(pipeline.layers_for(csv), "png", dpi=40)
        assert data.startswith(b"\x89PNG")


def test_a_place_with_its_own_count_is_labelled_with_that_count(
    write_csv: Callable[..., Path],
) -> None:
    csv = write_csv("""
        actor,destination,troops
        NATO,Adazi=1500; Rukla=1100,2600
    """)
    drawn = draw_map(pipeline.layers_for(csv), figure_size(dpi=40))
    words = {t.get_text() for t in drawn.ax.texts}
    assert {"1,500", "1,100"} <= words
    assert "2,600" not in words


def test_an_unknown_static_format_is_refused(drawn: StaticMap) -> None:
    with pytest.raises(UsageError, match='"bmp" is not a static format'):
        drawn.to_bytes("bmp")


def test_text_from_the_csv_is_set_as_written(write_csv: Callable[..., Path]) -> None:
    csv = write_csv("""
        actor,unit,origin,destination,troops
        "R&D $unit$ <b>","x",France,Romania,500
    """)
    layers = pipeline.layers_for(csv, title="Costs of $5m to $10m_x & <more>")
    svg = render_static(layers, "svg", dpi=40).decode("utf-8")
    words = {
        "".join(t.itertext()) for t in ET.fromstring(svg).iter("{http://www.w3.org/2000/svg}text")
    }
    assert "Costs of $5m to $10m_x & <more>" in words
    assert "R&D $unit$ <b>" in words  # in the legend, escaped in the file, not interpreted


def test_unit_symbols_are_drawn_on_the_static_map_too(invoke, tmp_path):
    from geo.paths import bundled

    units = bundled("examples/2022-02-02-units.csv")
    plain = tmp_path / "plain.csv"
    text = units.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    keep = [i for i, name in enumerate(header) if name not in ("symbol", "affiliation")]
    import csv as csv_module

    rows = list(csv_module.reader(units.read_text(encoding="utf-8").splitlines()))
    with plain.open("w", encoding="utf-8", newline="") as handle:
        csv_module.writer(handle).writerows([[r[i] for i in keep] for r in rows])
    with_symbols, without = tmp_path / "with.svg", tmp_path / "without.svg"
    assert invoke("render", str(units), "-o", str(with_symbols)).exit_code == 0
    assert invoke("render", str(plain), "-o", str(without)).exit_code == 0
    extra = with_symbols.read_text().count("<path") - without.read_text().count("<path")
    assert extra >= 3 * 2  # three units, each drawn at its destination and its origin


def test_a_fork_with_counts_writes_each_count_on_its_branch_and_the_total_on_the_trunk(
    write_csv: Callable[..., Path],
) -> None:
    csv = write_csv("""
        actor,origin,destination,troops
        United States,Germany,Rzeszów=~1700; Wiesbaden=300,
        Russia,Russia,Belarus,~30000
    """)
    drawn = draw_map(pipeline.layers_for(csv), figure_size(dpi=60))
    words = {t.get_text() for t in drawn.ax.texts}
    assert {"~2,000", "~1,700", "300", "~30,000"} <= words  # a total with an estimate in it is one


def test_a_place_given_as_coordinates_is_labelled_by_the_nearest_town_or_not_at_all(
    write_csv: Callable[..., Path],
) -> None:
    csv = write_csv("""
        actor,origin,destination,troops
        Netherlands,"52.37,4.90",Poland,200
        Netherlands,,"45.0,-30.0",50
    """)
    drawn = draw_map(pipeline.layers_for(csv), figure_size(dpi=60))
    words = {t.get_text() for t in drawn.ax.texts}
    assert "near Amsterdam" in words
    assert not any(re.search(r"\d+\.\d+", word) for word in words), words


STATUSES_CSV = """
    id,date,reported,actor,origin,destination,troops,status
    a,2022-02-02,2022-02-02,United States,Germany,Romania,1000,claimed
    b,2022-02-10/2022-02-20,2022-02-02,Russia,Russia,Belarus,30000,claimed
    c,2022-02-02,2022-02-02,Poland,Poland,Lithuania,800,withdrawn
    d,2022-02-02,2022-02-02,United States,United States,Germany; Poland,2000,ordered
"""


def legend_rows(drawn: StaticMap) -> list[tuple[str, Any]]:
    """The legend's rows from the top: each one's words, and what is drawn beside them."""
    from matplotlib.offsetbox import AnchoredOffsetbox, HPacker

    legend = next(a for a in drawn.ax.artists if isinstance(a, AnchoredOffsetbox))
    rows: list[tuple[str, Any]] = []
    for row in legend.get_child().get_children():
        if isinstance(row, HPacker):
            drawing, words = row.get_children()
            rows.append((words.get_text(), drawing.get_children()[0]))
        else:
            rows.append((row.get_text(), None))
    return rows


def test_the_legend_says_what_each_stroke_means_and_draws_it_as_the_map_does(
    write_csv: Callable[..., Path],
) -> None:
    from matplotlib.collections import LineCollection

    from geo.layers import layers_as_of

    layers = layers_as_of(pipeline.layers_for(write_csv(STATUSES_CSV)), date(2022, 2, 2))
    drawn = draw_map(layers, figure_size(dpi=60))
    rows = legend_rows(drawn)
    status = rows[[words for words, _ in rows].index("STATUS") + 1 :]
    assert [words for words, _ in status] == [
        "announced or claimed",  # every status drawn dashed, though only "claimed" is here
        "planned: reported ahead of its dates",
        "withdrawn",
        "A fork without counts:\nthe split was not reported.",
    ]
    strokes = [(line.get_linestyle(), line.get_alpha()) for _, line in status[:3]]
    assert strokes == [("--", None), ("--", 0.55), ("-", 0.35)]
    # The map draws its movements so: the plan faint and dashed, the withdrawal faded.
    lines = next(
        c
        for c in drawn.ax.collections
        if isinstance(c, LineCollection) and c.get_gid() != "context"  # not the rivers
    )
    looks = {
        (round(float(colour[3]), 2), style[1] is not None)
        for colour, style in zip(lines.get_colors(), lines.get_linestyles(), strict=True)
    }
    assert {(0.55, True), (0.35, False), (0.9, True), (0.9, False)} == looks


def test_a_stationed_force_is_dashed_or_faded_as_its_status_is(
    write_csv: Callable[..., Path],
) -> None:
    from matplotlib.collections import PathCollection

    csv = write_csv("""
        actor,destination,troops,status
        NATO,Adazi,1500,withdrawn
        NATO,Tapa,1200,announced
        NATO,Rukla,1100,reported
    """)
    drawn = draw_map(pipeline.layers_for(csv), figure_size(dpi=40))
    circles = next(
        c for c in drawn.ax.collections if isinstance(c, PathCollection) and c.get_zorder() == 4
    )
    # Largest first: Adazi (withdrawn: faded), Tapa (announced: dashed, as the legend says).
    dashed = [style[1] is not None for style in circles.get_linestyles()]
    assert dashed == [False, True, False]
    assert [round(float(edge[3]), 2) for edge in circles.get_edgecolors()] == [0.35, 1.0, 1.0]
