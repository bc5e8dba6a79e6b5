"""`python -m evals run ...` and `python -m evals bench ...`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .metrics import METRICS
from .questions import QuestionSetError, load_questions


def _thresholds(items: list[str]) -> dict[str, float]:
    out = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in METRICS:
            raise SystemExit(
                f"error: unknown metric {name!r} in --fail-under; choose from {', '.join(METRICS)}"
            )
        try:
            out[name] = float(value)
        except ValueError:
            raise SystemExit(f"error: --fail-under {item!r} needs METRIC=NUMBER") from None
    return out


def main(argv: list[str]) -> int:
    """Parse arguments and run the eval or the benchmark."""
    parser = argparse.ArgumentParser(prog="python -m evals")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="answer a question set and score it")
    run_p.add_argument("--questions", nargs="+", type=Path, required=True)
    run_p.add_argument("--out", type=Path, required=True)
    run_p.add_argument("--fail-under", nargs="*", default=[], metavar="METRIC=VALUE")
    run_p.add_argument("--baseline", type=Path, help="an earlier run's folder, to show the change")
    bench_p = sub.add_parser("bench", help="measure speed, memory, load and scale")
    bench_p.add_argument("--out", type=Path, required=True)
    bench_p.add_argument("--quick", action="store_true", help="a short smoke run (CI)")
    train_p = sub.add_parser(
        "train", help="fit the learned triage heads (choices by writer-held-out folds; --dev is a check)"
    )
    train_p.add_argument("--questions", nargs="+", type=Path, required=True)
    train_p.add_argument("--dev", nargs="+", type=Path, required=True)
    train_p.add_argument(
        "--heads",
        nargs="+",
        choices=("scope", "escalation", "words"),
        default=["scope", "escalation", "words"],
        help="which heads to fit (default: all)",
    )
    train_p.add_argument(
        "--out", type=Path, help="folder for the three artefacts (default: the package's own)"
    )
    args = parser.parse_args(argv)
    if args.command == "train":
        from .train import train, train_escalation, train_word_heads

        fits = {"scope": train, "escalation": train_escalation, "words": train_word_heads}
        names = {
            "scope": "scope_classifier.json",
            "escalation": "escalation_classifier.json",
            "words": "word_heads.json",
        }
        for head in args.heads:
            if args.out:
                fits[head](args.questions, args.dev, args.out / names[head])
            else:
                fits[head](args.questions, args.dev)
        return 0
    if args.command == "bench":
        from .bench import run_bench

        return run_bench(args.out, quick=args.quick)
    thresholds = _thresholds(args.fail_under)
    try:
        questions = load_questions(args.questions)
    except QuestionSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from assistant.errors import AssistantError

    from .runner import assistant_answer_fn, check_thresholds, run

    try:
        answer_fn = assistant_answer_fn()
    except AssistantError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = run(questions, answer_fn, args.out, baseline=args.baseline)
    shown = {k: v for k, v in summary.items() if k not in ("by_category", "by_style")}
    print(json.dumps(shown, indent=1))
    print(f"Wrote {args.out}/results.jsonl, summary.json, report.html")
    missed = check_thresholds(summary, thresholds)
    for line in missed:
        print(f"FAIL: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
