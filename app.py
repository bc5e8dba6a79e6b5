"""Serve the chat: python app.py [--host H] [--port P]. Public chat at /, staff console at /staff."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any

from assistant.web.ui import build_app as _build_public

__all__ = ["build_app", "main"]


def build_app(assistant: Any = None, settings: Any = None) -> Any:
    """Build the public chat as a gr.Blocks without launching it."""
    from assistant.answer.chain import Assistant
    from assistant.config import get_settings

    settings = settings or get_settings()
    return _build_public(assistant or Assistant(settings), settings=settings)


def main(argv: list[str]) -> int:
    """Parse arguments, warm the assistant up and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python app.py", description="Serve the knee-health assistant.")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument("--port", type=int, default=7860)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    for noisy in ("httpx", "chromadb", "sentence_transformers", "transformers"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from assistant.answer.chain import Assistant
    from assistant.cli import _settings
    from assistant.errors import AssistantError, ConfigError
    from assistant.web.server import serve

    try:
        settings = _settings()
        assistant = Assistant(settings)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        assistant.warm_up()
    except AssistantError as exc:
        print(f"warning: {exc} The chat will say so until the index is built.", file=sys.stderr)
    staff = "on at /staff" if settings.staff_password else "off (set ASSISTANT_STAFF_PASSWORD to enable)"
    print(f"Serving on http://{args.host}:{args.port}  (staff console {staff})", flush=True)
    serve(settings, host=args.host, port=args.port, assistant=assistant)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
