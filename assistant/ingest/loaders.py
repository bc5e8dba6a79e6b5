"""Stage 1, load: read .md, .txt, .html and .pdf files into Documents of headed blocks."""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path

import yaml

from assistant.errors import DocumentError
from assistant.types import Block, Document

log = logging.getLogger(__name__)

SUPPORTED = (".md", ".markdown", ".txt", ".html", ".htm", ".pdf")
_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
# "1. Strengthening Exercises" -> "Strengthening Exercises": numbering is structure, not a name.
_NUMBERED = re.compile(r"^\d+[.)]\s+")


def discover(corpus_dir: Path) -> tuple[list[Path], list[Path]]:
    """Return (supported files, skipped files) under corpus_dir, sorted, hidden files ignored."""
    files: list[Path] = []
    skipped: list[Path] = []
    for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
        if any(part.startswith((".", "_")) for part in path.relative_to(corpus_dir).parts):
            continue
        (files if path.suffix.lower() in SUPPORTED else skipped).append(path)
    return files, skipped


def load(path: Path, *, source: str, max_bytes: int) -> Document:
    """Load one file; raise DocumentError with a reason a person understands."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot read the file ({exc.strerror})") from exc
    if size > max_bytes:
        raise DocumentError(
            f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit (ASSISTANT_MAX_FILE_MB)"
        )
    raw = path.read_bytes()
    suffix = path.suffix.lower()
    text = _pdf_text(raw) if suffix == ".pdf" else _decode(raw)
    if not text.strip():
        raise DocumentError("file is empty" if not raw.strip() else "no readable text found in the file")
    if suffix in (".html", ".htm"):
        front, body = _html_to_markdown(text)
    elif suffix in (".md", ".markdown"):
        front, body = _split_front_matter(text)
    else:
        front, body = {}, _plain_to_markdown(text)
    digest = hashlib.sha256(raw + repr(sorted(front.items())).encode()).hexdigest()
    return parse_markdown(body, source=source, front=front, content_hash=digest, fallback_title=path.stem)


def _decode(raw: bytes) -> str:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"not valid UTF-8 text (byte {exc.start}); save the file as UTF-8 and ingest again"
        ) from exc
    if "\x00" in text:
        raise DocumentError("looks like a binary file, not text (contains NUL bytes)")
    return text


def _pdf_text(raw: bytes) -> str:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not raw.strip():
        raise DocumentError("file is empty")
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise DocumentError("PDF is password-protected; save an unprotected copy")
        return "\n\n".join(page.extract_text() or "" for page in reader.pages)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AttributeError) as exc:
        raise DocumentError("not a readable PDF (the file is damaged or is not a PDF)") from exc


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        data = yaml.safe_load(text[3:end]) or {}
    except yaml.YAMLError as exc:
        raise DocumentError(f"front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(data, dict):
        raise DocumentError("front matter must be a YAML mapping of key: value")
    return {str(k): str(v) for k, v in data.items()}, text[end + 4 :].lstrip("\n")


def _plain_to_markdown(text: str) -> str:
    """Guess headings in plain text: short lines without end punctuation, followed by more text."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    out: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped in ("-", "*", "•"):  # flattened list markers carry no words
            continue
        nxt = next((ln.strip() for ln in lines[i + 1 :] if ln.strip() not in ("", "-", "*", "•")), "")
        looks_heading = (
            0 < len(stripped) <= 90
            and not _ITEM.match(stripped)
            and not stripped.endswith((".", ",", ";", "!"))
            and stripped[0].isupper()
            and bool(nxt)
        )
        looks_heading = looks_heading and (not stripped.endswith("?") or len(stripped) <= 60)
        if looks_heading and not out:
            out.append(f"# {stripped}")  # a first short line is the title
        else:
            out.append(f"## {stripped}" if looks_heading else line)
        out.append("")
    return "\n".join(out)


def _html_to_markdown(text: str) -> tuple[dict[str, str], str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg", "head"]):
        if tag.name == "head":
            title = tag.find("title")
            if title and title.get_text(strip=True):
                soup.insert(0, soup.new_string(""))
                front = {"title": title.get_text(" ", strip=True)}
                tag.decompose()
                return front, _html_body(soup)
        tag.decompose()
    return {}, _html_body(soup)


def _html_body(soup: object) -> str:
    from bs4 import BeautifulSoup

    assert isinstance(soup, BeautifulSoup)
    for tag in soup(["script", "style", "noscript", "template", "iframe", "svg"]):
        tag.decompose()
    lines: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td"]):
        words = " ".join(el.get_text(" ", strip=True).split())
        if not words or el.find_parent(["li", "p"]) is not None:
            continue
        if el.name.startswith("h"):
            lines.append("#" * int(el.name[1]) + " " + words)
        elif el.name == "li":
            lines.append("- " + words)
        else:
            lines.append(words)
        lines.append("")
    if not lines:  # no block elements: fall back to all visible text
        lines = [" ".join(soup.get_text(" ", strip=True).split())]
    return "\n".join(lines)


def parse_markdown(
    body: str, *, source: str, front: dict[str, str], content_hash: str, fallback_title: str
) -> Document:
    """Turn markdown into blocks under heading paths; the first H1 is the title if none is given."""
    title = front.get("title", "")
    path: list[tuple[int, str]] = []
    blocks: list[Block] = []
    para: list[str] = []

    def section() -> tuple[str, ...]:
        return tuple(name for _, name in path) or ((title or fallback_title),)

    def flush() -> None:
        if para:
            blocks.append(Block(section(), " ".join(para)))
            para.clear()

    for line in body.splitlines():
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        item = _ITEM.match(line)
        if heading:
            flush()
            level, name = len(heading.group(1)), _NUMBERED.sub("", heading.group(2).strip())
            if level == 1 and (not title or name == title):
                title = title or name
                path.clear()  # the title heads the document, not a section of it
                continue
            path[:] = [(lv, nm) for lv, nm in path if lv < level] + [(level, name)]
        elif item and item.group(1).strip():
            flush()
            blocks.append(Block(section(), item.group(1).strip(), is_item=True))
        elif not stripped:
            flush()
        elif blocks and blocks[-1].is_item and line.startswith(("  ", "\t")) and not para:
            last = blocks.pop()  # continuation line of a list item
            blocks.append(Block(last.section, f"{last.text} {stripped}", is_item=True))
        else:
            para.append(stripped)
    flush()
    if not blocks:
        raise DocumentError("no readable text found in the file")
    return Document(
        source=source,
        title=title or fallback_title,
        blocks=tuple(blocks),
        content_hash=content_hash,
        publisher=front.get("publisher", ""),
        published=front.get("published", ""),
        origin=front.get("origin", ""),
        seller_of=front.get("seller_of", ""),
        promotional_from=front.get("promotional_from", ""),
        promotional=front.get("promotional", "").lower() in ("true", "yes", "1"),
    )
