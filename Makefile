# Habits: make run | make test | make lint | make eval | make bench
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 7860
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export ANONYMIZED_TELEMETRY := False

REALISTIC_TUNED = $(filter-out evals/questions/realistic/test.jsonl,$(sort $(wildcard evals/questions/realistic/*.jsonl)))

.PHONY: run test test-fast lint eval bench install browser postgres clean index

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# Incremental: builds the index when there is none, updates it when corpus/ changed, else does nothing.
index: install
	$(BIN)/python ingest.py

run: index
	$(BIN)/python app.py --host $(HOST) --port $(PORT)

# Debian's chromium for the browser tests (Playwright drives it; it cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# Debian's PostgreSQL for the shared-database tests (they start their own throwaway server on loopback).
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

test: install browser postgres
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not model and not browser and not server"

lint: install
	$(BIN)/ruff check assistant evals tests app.py ingest.py .ci
	$(BIN)/ruff format --check assistant evals tests app.py ingest.py .ci
	$(BIN)/mypy assistant
	$(BIN)/python .ci/layout_check.py

eval: index
	$(BIN)/python -m evals run --questions evals/questions/test.jsonl --out out/eval-test \
	  --fail-under decision_accuracy=0.95 escalation_recall=1.0 hit_at_3=0.95 citation_accuracy=0.95 \
	  grounded_sentence_rate=1.0 promo_attribution_rate=1.0 refusal_precision=0.95 refusal_recall=0.95 \
	  promo_leak_rate=0 answer_words_p95=180
	# Realistic held-out messages (issue 11): targets escalation 0.97, decision 0.90, refusal P/R 0.90,
	# in-scope answered 0.90, non-urgent escalated <= 5%; issue 12: hit@3, citation, must_include 0.90, no
	# seller text outside product questions, <= 180 words. Met targets are gated at the target; the others
	# ratchet at today's level (see README, "Realistic messages").
	$(BIN)/python -m evals run --questions evals/questions/realistic/test.jsonl --out out/eval-realistic-test \
	  --fail-under decision_accuracy=0.90 escalation_recall=0.97 grounded_sentence_rate=1.0 \
	  promo_attribution_rate=1.0 refusal_precision=0.90 refusal_recall=0.90 in_scope_answer_rate=0.91 \
	  non_urgent_escalation_rate=0.05 \
	  hit_at_3=0.90 citation_accuracy=0.89 must_include_rate=0.89 promo_leak_rate=0 answer_words_p95=180
	# The train and dev splits (tuned on, so not evidence of quality): a regression guard for the rules
	$(BIN)/python -m evals run --questions $(REALISTIC_TUNED) --out out/eval-realistic-tuned \
	  --fail-under escalation_recall=1.0 non_urgent_escalation_rate=0.02 decision_accuracy=0.93 \
	  grounded_sentence_rate=1.0 promo_leak_rate=0

bench: index
	$(BIN)/python -m evals bench --out out/bench

clean:
	rm -rf out test-artifacts .pytest_cache
