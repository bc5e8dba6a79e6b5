"""Thin command-line entry points: `python ingest.py` and `python -m assistant ask`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from assistant.errors import AssistantError, ConfigError, CorpusError


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with one clear line (the contract's usage-error code)."""

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2)


def _settings() -> Any:
    from assistant.config import get_settings

    try:
        return get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"ASSISTANT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"Invalid configuration: {problems}") from exc


def _setup_logging() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s", stream=sys.stderr)
    for noisy in ("chromadb", "httpx", "sentence_transformers", "transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.ERROR)


def ingest_main(argv: list[str]) -> int:
    """Run the ingest CLI; return the exit code (0 ok, 1 some documents failed, 2 usage/config)."""
    parser = _Parser(prog="python ingest.py", description="Build or update the assistant's index.")
    parser.add_argument(
        "--corpus", type=Path, help="folder of documents (default: ASSISTANT_CORPUS_DIR or corpus/)"
    )
    parser.add_argument("--rebuild", action="store_true", help="re-embed everything instead of updating")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    _setup_logging()
    try:
        settings = _settings()
        from assistant.ingest.pipeline import run_ingest

        bar = _progress_bar(enabled=True)
        report = run_ingest(settings, corpus_dir=args.corpus, rebuild=args.rebuild, progress=bar)
        bar(-1, -1)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report.to_json()))
    else:
        _print_table(report)
    return 1 if report.failed else 0


def _progress_bar(*, enabled: bool) -> Any:
    """A tqdm bar on stderr, driven as progress(done, total); (-1, -1) closes it."""
    from tqdm import tqdm

    state: dict[str, Any] = {}

    def update(done: int, total: int) -> None:
        if done == total == -1:
            if "bar" in state:
                state["bar"].close()
            return
        if "bar" not in state:
            state["bar"] = tqdm(
                total=total, unit="chunk", desc="Embedding", file=sys.stderr, disable=not enabled
            )
        state["bar"].n = done
        state["bar"].refresh()

    return update


def _print_table(report: Any) -> None:
    rows = [
        ("documents", report.documents),
        ("chunks", report.chunks),
        ("added", report.added),
        ("updated", report.updated),
        ("removed", report.removed),
        ("unchanged", report.unchanged),
        ("chunks embedded", report.chunks_embedded),
        ("failed", len(report.failed)),
        ("seconds", report.seconds),
    ]
    print("Ingest summary" + ("" if report.changed else " (index already up to date)"))
    for name, value in rows:
        print(f"  {name:<16} {value}")
    for item in report.failed:
        print(f"  FAILED {item['path']}: {item['error']}")
    for path in report.skipped:
        print(f"  skipped {path} (unsupported file type)")


def load_history(path: Path) -> list[dict[str, str]]:
    """Read a --history file: a JSON list of {"role", "content"} turns."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"History file {path} not found.") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"History file {path} is not valid JSON: {exc}") from exc
    if not isinstance(data, list) or not all(
        isinstance(t, dict) and isinstance(t.get("role"), str) and isinstance(t.get("content"), str)
        for t in data
    ):
        raise ConfigError(
            f'History file {path} must be a JSON list of {{"role": ..., "content": ...}} objects.'
        )
    return [{"role": t["role"], "content": t["content"]} for t in data]


def main(argv: list[str]) -> int:
    """`python -m assistant ask ...`: one answer from the same chain the app uses."""
    parser = _Parser(prog="python -m assistant", description="Guarded knee-health assistant.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer one question")
    ask.add_argument("question", help="the question (quote it)")
    ask.add_argument("--json", action="store_true", help="print the contract's JSON object")
    ask.add_argument("--history", type=Path, help="JSON file with earlier turns")
    args = parser.parse_args(argv)
    _setup_logging()
    try:
        history = load_history(args.history) if args.history else []
        from assistant.answer.chain import Assistant
        from assistant.answer.contract import to_contract

        assistant = Assistant(_settings())
        answer = assistant.ask(args.question, history)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(to_contract(answer), ensure_ascii=False))
    else:
        print(answer.answer)
        for c in answer.citations:
            label = " (seller's claim)" if c.promotional else ""
            print(f"\n[{c.n}] {c.title} > {c.section}{label}\n    {c.text}")
    return 0
