"""`python -m evals train`: fit the learned triage heads (scope, escalation, and the two word heads) and store their small artefacts.

Logistic regression (scikit-learn) over the rows the chain computes (assistant/triage/classifier.py).
The regularisation and the decision threshold are chosen by cross-validation over the training files with
one writer per fold (a question's writer is its id before the first "-"), so the choice is judged on
writers the fold never saw, as new users will be. The --dev files are a held-out check, reported in the
artefact and never used for a choice; the test set is never read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

from assistant.triage.classifier import ARTEFACT, ESCALATION_ARTEFACT, FEATURES
from assistant.triage.lexical import AGREE, MIN_WORDS, TOKEN
from assistant.triage.lexical import ARTEFACT as WORD_ARTEFACT

from .questions import load_questions

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
ESCALATION_C_GRID = (0.3, 1.0, 3.0, 10.0)
MAX_FALSE_ALARMS = 0.01  # the escalation head may add at most this share of false alarms (held-out folds)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))


def _rows(bot: Any, paths: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    xs, ys, groups = [], [], []
    for q in load_questions(paths):
        if q.expect == "escalate" or q.history:
            continue
        action, row = bot.scope_row(q.question)
        if action == "pass" and row is not None:
            xs.append(row)
            ys.append(1 if q.expect == "answer" else 0)
            groups.append(_writer(q.id))
    return np.asarray(xs, dtype=np.float32), np.asarray(ys), np.asarray(groups)


def _writer(question_id: str) -> str:
    return question_id.split("-", 1)[0]


def _out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray, c: float, max_iter: int) -> np.ndarray:
    """Each message's probability from a model fitted without its writer (or, with under three
    writers, without its third of the data)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, StratifiedKFold

    if len(set(groups)) >= 3:
        splits = GroupKFold(n_splits=min(len(set(groups)), 8)).split(x, y, groups)
    else:
        splits = StratifiedKFold(n_splits=3, shuffle=True, random_state=0).split(x, y)
    out = np.zeros(len(y), dtype=np.float64)
    for fit_at, check_at in splits:
        if len(set(y[fit_at])) < 2:
            out[check_at] = float(np.mean(y[fit_at]))
            continue
        clf = LogisticRegression(C=c, class_weight="balanced", max_iter=max_iter).fit(x[fit_at], y[fit_at])
        out[check_at] = clf.predict_proba(x[check_at])[:, 1]
    return out


def train(train_paths: list[Path], dev_paths: list[Path], out: Path = ARTEFACT) -> dict[str, Any]:
    """Choose C and the threshold by writer-held-out folds, fit on all, check on dev; write the artefact."""
    from sklearn.linear_model import LogisticRegression

    from assistant.answer.chain import Assistant
    from assistant.config import get_settings

    bot = Assistant(get_settings())
    bot.scope_model = None  # features come from the rules alone
    x_train, y_train, groups = _rows(bot, train_paths)
    x_dev, y_dev, _ = _rows(bot, dev_paths)
    best: tuple[float, float, float] = (-1.0, 0.0, 0.5)
    for c in C_GRID:
        p_oof = _out_of_fold(x_train, y_train, groups, c, 2000)
        for t in THRESHOLDS:
            acc = float(np.mean((p_oof >= t) == y_train))
            if acc > best[0] + 1e-9:
                best = (acc, c, float(t))
    acc, c, threshold = best
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=2000).fit(x_train, y_train)
    p_dev = clf.predict_proba(x_dev)[:, 1]
    rule_dev = float(np.mean((x_dev[:, -len(FEATURES)] >= 0.5) == y_dev))
    report = _report(bot, clf, c, threshold, (train_paths, len(y_train)), (dev_paths, len(y_dev))) | {
        "features": list(FEATURES),
        "cross_validated_accuracy": round(acc, 4),
        "dev_accuracy": round(float(np.mean((p_dev >= threshold) == y_dev)), 4),
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


def _escalation_rows(bot: Any, paths: list[Path]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Feature rows, labels, writers, and whether the rules alone let the message through."""
    xs, ys, groups, passed = [], [], [], []
    flags = bot.guard.flags
    learned, words = flags.learned, flags.words
    flags.learned = flags.words = None  # "the rules alone": neither learned reading
    try:
        for q in load_questions(paths):
            if q.history:
                continue
            state = bot._guard_step({"question": q.question, "history": []})
            xs.append(bot.guard.flags.features(state["units"]))
            ys.append(1 if q.expect == "escalate" else 0)
            groups.append(_writer(q.id))
            passed.append(state["verdict"].action != "escalate")
    finally:
        flags.learned, flags.words = learned, words
    return np.asarray(xs, dtype=np.float32), np.asarray(ys), np.asarray(groups), np.asarray(passed)


def train_escalation(
    train_paths: list[Path], dev_paths: list[Path], out: Path = ESCALATION_ARTEFACT
) -> dict[str, Any]:
    """Fit the escalation head on every message; keep the C and threshold with the best writer-held-out
    recall at <= 1% false alarms, both counted where the head acts (messages the rules let through)."""
    from sklearn.linear_model import LogisticRegression

    from assistant.answer.chain import Assistant
    from assistant.config import get_settings

    bot = Assistant(get_settings())
    x_train, y_train, groups, passed = _escalation_rows(bot, train_paths)
    x_dev, y_dev, _, dev_passed = _escalation_rows(bot, dev_paths)

    def rates(p: np.ndarray, y: np.ndarray, acts: np.ndarray, t: float) -> tuple[float, float]:
        """(share of emergencies escalated with the head, share of the others it escalates)"""
        flagged = (p >= t) & acts | ~acts
        recall = float(np.mean(flagged[y == 1])) if (y == 1).any() else 0.0
        return recall, float(np.mean(((p >= t) & acts)[y == 0])) if (y == 0).any() else 0.0

    # The head is judged as a detector of its own: its recall over every emergency of writers it never
    # saw, at no more than MAX_FALSE_ALARMS added where it acts. (With the rules beside it, recall on
    # these files saturates once the rules have learned their wording, and could no longer choose.)
    best: tuple[float, float, float] = (0.0, ESCALATION_C_GRID[0], 0.99)  # (head-alone recall, C, t)
    oof: dict[float, np.ndarray] = {}
    for c in ESCALATION_C_GRID:
        p_oof = oof[c] = _out_of_fold(x_train, y_train, groups, c, 5000)
        for t in np.arange(0.5, 0.99, 0.01):
            _, false_alarms = rates(p_oof, y_train, passed, float(t))
            alone = float(np.mean(p_oof[y_train == 1] >= t)) if (y_train == 1).any() else 0.0
            if false_alarms <= MAX_FALSE_ALARMS and alone > best[0] + 1e-9:
                best = (alone, c, round(float(t), 2))
    alone, c, threshold = best  # no threshold kept false alarms low: the head sits at 0.99, almost silent
    recall, false_alarms = rates(oof[c], y_train, passed, threshold)
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x_train, y_train)
    dev_recall, dev_false = rates(clf.predict_proba(x_dev)[:, 1], y_dev, dev_passed, threshold)
    rules_recall = float(np.mean(~passed[y_train == 1])) if (y_train == 1).any() else 0.0
    report = _report(bot, clf, c, threshold, (train_paths, len(y_train)), (dev_paths, len(y_dev))) | {
        "descriptions": bot.guard.flags.key,
        "cross_validated_recall_rules_alone": round(rules_recall, 4),
        "cross_validated_recall": round(max(recall, 0.0), 4),
        "cross_validated_recall_head_alone": round(alone, 4),
        "cross_validated_false_alarms": round(false_alarms, 4),
        "dev_recall_rules_alone": round(
            float(np.mean(~dev_passed[y_dev == 1])) if (y_dev == 1).any() else 0.0, 4
        ),
        "dev_recall": round(dev_recall, 4),
        "dev_false_alarms_added": round(dev_false, 4),
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
    out.parent.mkdir(parents=True, exist_ok=True)  # a new --out folder is made, not a traceback
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in report.items() if k != "coef"}, indent=1), file=sys.stderr)
    return report


WORD_C_GRID = (3.0, 10.0, 30.0)
WORD_FALSE_ALARMS = 0.005  # non-emergencies of unseen writers the emergency word head may flag
SELF_HARM_FALSE_ALARMS = 0.002  # other messages of unseen writers the self-harm word head may flag
RECALL_TOLERANCE = 0.01


def train_word_heads(
    train_paths: list[Path], dev_paths: list[Path], out: Path = WORD_ARTEFACT
) -> dict[str, Any]:
    """Fit the two word heads (assistant/triage/lexical.py): the C and threshold of each give the best
    writer-held-out recall at no more than its false-alarm share. Needs no embedding model."""
    from sklearn.linear_model import LogisticRegression

    questions = [q for q in load_questions(train_paths) if not q.history]
    texts = [q.question for q in questions]
    groups = np.asarray([_writer(q.id) for q in questions])
    short = np.asarray([len(TOKEN.findall(t)) < MIN_WORDS for t in texts])  # left to the rules
    emergency = np.asarray([q.expect == "escalate" for q in questions], dtype=int)
    self_harm = np.asarray([q.category == "self_harm" for q in questions], dtype=int)

    def held_out(y: np.ndarray, c: float) -> np.ndarray:
        from sklearn.model_selection import GroupKFold

        p = np.zeros(len(y))
        for fit_at, check_at in GroupKFold(n_splits=min(8, len(set(groups)))).split(texts, y, groups):
            vectorizer = _word_vectorizer()
            x = vectorizer.fit_transform([texts[i] for i in fit_at])
            clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y[fit_at])
            p[check_at] = clf.predict_proba(vectorizer.transform([texts[i] for i in check_at]))[:, 1]
        p[short] = 0.0
        return p

    def choose(y: np.ndarray, others: np.ndarray, limit: float) -> tuple[float, float, float, float]:
        """The C with the best held-out recall at the false-alarm limit, then the highest threshold that
        keeps that recall within RECALL_TOLERANCE (a margin against wordings no writer used)."""
        options = []  # (held-out recall, C, threshold, false alarms)
        for c in WORD_C_GRID:
            p = held_out(y, c)
            for t in np.arange(0.3, 0.96, 0.05):
                alarms = float(np.mean(p[others] >= t))
                if alarms <= limit:
                    options.append((float(np.mean(p[y == 1] >= t)), c, round(float(t), 2), alarms))
        if not options:
            return (0.0, WORD_C_GRID[0], 0.99, 0.0)
        best = max(options, key=lambda o: (o[0], -o[2]))
        near = [o for o in options if o[1] == best[1] and o[0] >= best[0] - RECALL_TOLERANCE]
        return max(near, key=lambda o: o[2])

    e_recall, e_c, e_t, e_alarms = choose(emergency, emergency == 0, WORD_FALSE_ALARMS)
    s_recall, s_c, s_t, s_alarms = choose(self_harm, self_harm == 0, SELF_HARM_FALSE_ALARMS)
    vectorizer = _word_vectorizer()
    x = vectorizer.fit_transform(texts)
    heads = [
        LogisticRegression(C=c, class_weight="balanced", max_iter=5000).fit(x, y)
        for c, y in ((e_c, emergency), (s_c, self_harm))
    ]
    dev = [q for q in load_questions(dev_paths) if not q.history]
    x_dev = vectorizer.transform([q.question for q in dev])
    p_dev = heads[0].predict_proba(x_dev)[:, 1]
    dev_flagged = (p_dev >= e_t) | ((heads[1].predict_proba(x_dev)[:, 1] >= s_t) & (p_dev >= AGREE))
    dev_emergency = np.asarray([q.expect == "escalate" for q in dev])
    report = {
        "vocabulary": [str(w) for w in vectorizer.get_feature_names_out()],
        "idf": [round(float(v), 6) for v in vectorizer.idf_],
        "coef_emergency": [round(float(v), 5) for v in heads[0].coef_[0]],
        "intercept_emergency": round(float(heads[0].intercept_[0]), 6),
        "threshold_emergency": e_t,
        "C_emergency": e_c,
        "coef_self_harm": [round(float(v), 5) for v in heads[1].coef_[0]],
        "intercept_self_harm": round(float(heads[1].intercept_[0]), 6),
        "threshold_self_harm": s_t,
        "C_self_harm": s_c,
        "trained_on": ", ".join(map(str, train_paths)) + f" ({len(texts)} messages)",
        "cross_validated_recall_emergency": round(e_recall, 4),
        "cross_validated_false_alarms_emergency": round(e_alarms, 4),
        "cross_validated_recall_self_harm": round(s_recall, 4),
        "cross_validated_false_alarms_self_harm": round(s_alarms, 4),
        "dev_recall_heads_alone": round(float(np.mean(dev_flagged[dev_emergency])), 4)
        if dev_emergency.any()
        else 0.0,
        "dev_false_alarms_heads_alone": round(float(np.mean(dev_flagged[~dev_emergency])), 4)
        if (~dev_emergency).any()
        else 0.0,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report) + "\n", encoding="utf-8")
    shown = {k: v for k, v in report.items() if not k.startswith(("vocabulary", "idf", "coef"))}
    print(json.dumps(shown, indent=1), file=sys.stderr)
    return report


def _word_vectorizer() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer

    from assistant.triage.lexical import TOKEN_PATTERN

    return TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, token_pattern=TOKEN_PATTERN)
