"""Make text safe to show: user text is escaped completely; answers keep their markdown, never HTML."""

from __future__ import annotations

import re

_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")
_IMAGE = re.compile(r"!\[")
_UNSAFE_LINK = re.compile(r"\]\(\s*(javascript|data|vbscript|file):", re.IGNORECASE)


def escape_user(text: str) -> str:
    """Show a user's message literally: no HTML, no markdown images or links, no formatting."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_PUNCT.sub(r"\\\1", text)


def safe_markdown(text: str) -> str:
    """An answer's markdown without raw HTML, remote images or script links (corpus text is data too)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    text = _IMAGE.sub(r"!\\[", text)
    return _UNSAFE_LINK.sub(r"](#blocked:", text)
