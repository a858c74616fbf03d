"""The map as SVG: every box and arrow drawn, linked to its statements, placed without overlaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from test_intro_fakes import CORPUS, corpus_roles

from assistant.intro.diagram import place_boxes, render_svg, route, standalone_svg
from assistant.intro.relations import build_map

needs_corpus = pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not present")
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def role_map():
    if not CORPUS.exists():
        pytest.skip("shared corpus not present")
    return build_map(corpus_roles())


@needs_corpus
def test_every_box_and_arrow_is_a_labelled_link(role_map):
    root = ET.fromstring(render_svg(role_map))
    links = root.findall(f".//{SVG}a")
    nodes = {a.get("data-node") for a in links if a.get("data-node")}
    arrows = {a.get("data-edge") for a in links if a.get("data-edge")}
    assert nodes == {n.id for n in role_map.nodes}
    assert arrows == {f"{e.source}-{e.target}" for e in role_map.edges}
    for a in links:
        assert a.get("href").startswith("#map-") and a.get("aria-label")
    fullmaktige = next(a for a in links if a.get("data-node") == "fullmaktige")
    assert "Fullmäktige" in fullmaktige.get("aria-label") and "uppgifter" in fullmaktige.get("aria-label")
    assert root.find(f"{SVG}title").text.startswith("Karta")


@needs_corpus
def test_boxes_and_labels_do_not_overlap(role_map):
    boxes = place_boxes(role_map)
    placed = list(boxes.values())
    for i, a in enumerate(placed):
        assert all(not a.overlaps(b) for b in placed[i + 1 :])
    labels = [arrow.label_box for arrow in route(role_map, boxes)]
    for label in labels:
        assert not any(label.overlaps(box) for box in placed), label
    for i, a in enumerate(labels):
        assert all(not a.overlaps(b) for b in labels[i + 1 :])


@needs_corpus
def test_the_printable_file_has_no_links(role_map):
    svg = standalone_svg(role_map)
    assert svg.startswith("<?xml") and "<a " not in svg
    root = ET.fromstring(svg.split("\n", 1)[1])
    assert root.get("role") == "img" and root.get("width") == "1200"
