"""`python -m evals train`: fit the scope classifier on a question set and store its small artefact.

Logistic regression (scikit-learn) over the rows the chain computes (assistant/triage/classifier.py),
on messages the guard lets through whose label is answer or refuse. The regularisation and the decision
threshold are chosen on the dev set; the test set is never read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from assistant.triage.classifier import ARTEFACT, ESCALATION_ARTEFACT, FEATURES

from .questions import load_questions

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
ESCALATION_C_GRID = (0.3, 1.0, 3.0, 10.0)
MAX_FALSE_ALARMS = 0.01  # the escalation head may add at most this share of false alarms on dev
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))


def _rows(bot: Any, paths: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for q in load_questions(paths):
        if q.expect == "escalate" or q.history:
            continue
        action, row = bot.scope_row(q.question)
        if action == "pass" and row is not None:
            xs.append(row)
            ys.append(1 if q.expect == "answer" else 0)
    return np.asarray(xs, dtype=np.float32), np.asarray(ys)


def train(train_paths: list[Path], dev_paths: list[Path], out: Path = ARTEFACT) -> dict[str, Any]:
    """Fit, choose C and the threshold on dev, write the artefact; return what was measured."""
    from sklearn.linear_model import LogisticRegression

    from assistant.answer.chain import Assistant
    from assistant.config import get_settings

    bot = Assistant(get_settings())
    bot.scope_model = None  # features come from the rules alone
    x_train, y_train = _rows(bot, train_paths)
    x_dev, y_dev = _rows(bot, dev_paths)
    best: tuple[float, float, float, Any] = (-1.0, 0.0, 0.5, None)
    for c in C_GRID:
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x_train, y_train)
        p_dev = clf.predict_proba(x_dev)[:, 1]
        for t in THRESHOLDS:
            acc = float(np.mean((p_dev >= t) == y_dev))
            if acc > best[0] + 1e-9:
                best = (acc, c, float(t), clf)
    acc, c, threshold, clf = best
    rule_dev = float(np.mean((x_dev[:, -len(FEATURES)] >= 0.5) == y_dev))
    report = _report(bot, clf, c, threshold, (train_paths, len(y_train)), (dev_paths, len(y_dev))) | {
        "features": list(FEATURES),
        "dev_accuracy": round(acc, 4),
        "dev_accuracy_rules_alone": round(rule_dev, 4),
        "train_accuracy": round(
            float(np.mean((clf.predict_proba(x_train)[:, 1] >= threshold) == y_train)), 4
        ),
        "command": "python -m evals train --questions "
        + " ".join(map(str, train_paths))
        + " --dev "
        + " ".join(map(str, dev_paths)),
    }
    return _write(out, report)


def _escalation_rows(bot: Any, paths: list[Path]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = [], []
    for q in load_questions(paths):
        if q.history:
            continue
        state = bot._guard_step({"question": q.question, "history": []})
        xs.append(bot.guard.flags.features(state["units"]))
        ys.append(1 if q.expect == "escalate" else 0)
    return np.asarray(xs, dtype=np.float32), np.asarray(ys)


def train_escalation(
    train_paths: list[Path], dev_paths: list[Path], out: Path = ESCALATION_ARTEFACT
) -> dict[str, Any]:
    """Fit the escalation head; on dev keep the C and threshold with the best recall at <= 1% false alarms."""
    from sklearn.linear_model import LogisticRegression

    from assistant.answer.chain import Assistant
    from assistant.config import get_settings

    bot = Assistant(get_settings())
    x_train, y_train = _escalation_rows(bot, train_paths)
    x_dev, y_dev = _escalation_rows(bot, dev_paths)
    best: tuple[float, float, float, Any] = (-1.0, 0.0, 1.0, None)
    for c in ESCALATION_C_GRID:
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x_train, y_train)
        p_dev = clf.predict_proba(x_dev)[:, 1]
        for t in np.arange(0.5, 0.99, 0.01):
            false_alarms = float(np.mean(p_dev[y_dev == 0] >= t))
            recall = float(np.mean(p_dev[y_dev == 1] >= t))
            if false_alarms <= MAX_FALSE_ALARMS and recall > best[0] + 1e-9:
                best = (recall, c, round(float(t), 2), clf)
    recall, c, threshold, clf = best
    if clf is None:  # no threshold kept false alarms low enough: the head stays (almost) silent
        clf = LogisticRegression(C=ESCALATION_C_GRID[0], class_weight="balanced", max_iter=5000).fit(
            x_train, y_train
        )
        recall, c, threshold = 0.0, ESCALATION_C_GRID[0], 0.99
    p_dev = clf.predict_proba(x_dev)[:, 1]
    report = _report(bot, clf, c, threshold, (train_paths, len(y_train)), (dev_paths, len(y_dev))) | {
        "descriptions": bot.guard.flags.key,
        "dev_recall_alone": round(recall, 4),
        "dev_false_alarms_alone": round(float(np.mean(p_dev[y_dev == 0] >= threshold)), 4),
    }
    return _write(out, report)


def _report(
    bot: Any, clf: Any, c: float, threshold: float, train: tuple[list[Path], int], dev: tuple[list[Path], int]
) -> dict[str, Any]:
    """The fields every artefact carries: model, weights, threshold and the data they came from."""
    return {
        "model": bot.embedder.name,
        "coef": [round(float(v), 6) for v in clf.coef_[0]],
        "intercept": round(float(clf.intercept_[0]), 6),
        "threshold": threshold,
        "C": c,
        "trained_on": ", ".join(map(str, train[0])) + f" ({train[1]} messages)",
        "chosen_on": ", ".join(map(str, dev[0])) + f" ({dev[1]} messages)",
    }


def _write(out: Path, report: dict[str, Any]) -> dict[str, Any]:
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "coef"}, indent=1), file=sys.stderr)
    return report
