"""Structure-aware chunking, worked out by hand on small inputs."""

from __future__ import annotations

from assistant.ingest.chunking import chunk_document, chunk_id, split_sentences
from assistant.ingest.loaders import parse_markdown

MD = """# Title

## A

One. Two is here.

- Item one: Do this. Then that.
- Item two: Something else.

## B

Short.
"""


def _doc(md: str = MD):  # type: ignore[no-untyped-def]
    return parse_markdown(
        md, source="x.md", front={"promotional_from": "B"}, content_hash="h", fallback_title="x"
    )


def test_sentences_keep_abbreviations() -> None:
    assert split_sentences("Quads vs. hamstrings matter. Stretch daily!") == [
        "Quads vs. hamstrings matter.",
        "Stretch daily!",
    ]


def test_chunks_never_cross_sections_and_items_stay_whole() -> None:
    chunks = chunk_document(_doc(), max_chars=30)
    assert [c.section for c in chunks] == [("A",), ("A",), ("A",), ("B",)]
    assert chunks[1].units == ("Item one: Do this. Then that.",)  # a list item is one unit
    assert [c.promotional for c in chunks] == [False, False, False, True]
    assert [c.position for c in chunks] == [0, 1, 2, 3]


def test_small_sections_make_one_chunk_with_sentence_units() -> None:
    chunks = chunk_document(_doc(), max_chars=700)
    assert len(chunks) == 2
    assert chunks[0].units == (
        "One.",
        "Two is here.",
        "Item one: Do this. Then that.",
        "Item two: Something else.",
    )
    assert chunks[0].text.splitlines()[1] == "- Item one: Do this. Then that."


def test_ids_are_content_hashes() -> None:
    a = chunk_document(_doc(), max_chars=700)
    b = chunk_document(_doc(), max_chars=700)
    assert [c.id for c in a] == [c.id for c in b]
    assert a[0].id == chunk_id("x.md", ("A",), a[0].text)
    assert chunk_id("y.md", ("A",), a[0].text) != a[0].id
