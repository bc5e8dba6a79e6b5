"""The guarded answer chain: guard -> retrieve -> answerability -> compose/verify, as one runnable."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
from langchain_core.runnables import Runnable, RunnableLambda

from assistant import messages as M
from assistant.answer.compose import compose, story_match
from assistant.answer.contract import disclaimer_block, final
from assistant.answer.intent import detect
from assistant.answer.retrieve import blend, correct_and_expand, previous_question, retrieve, unit_mean
from assistant.config import Settings
from assistant.errors import AssistantError, NoIndexError, StoreUnavailableError
from assistant.index.embedder import Embedder
from assistant.index.factory import make_embedder
from assistant.index.knowledge import KnowledgeBase, load_knowledge
from assistant.index.store import IndexStore, make_store
from assistant.triage.classifier import load_escalation_model, load_scope_model, scope_features
from assistant.triage.guard import Guard, escalation_message, looks_not_english, prepare
from assistant.triage.lexical import load_word_heads
from assistant.triage.redflags import Unit, situation_vectors
from assistant.triage.scope import PRODUCT, assess, named_missing, worth_naming
from assistant.triage.segment import question_indexes, split_units
from assistant.triage.situation import roles as situation_roles
from assistant.triage.topic import asks_seller_facts, message_scope
from assistant.types import Answer, GuardVerdict, Passage

State = dict[str, Any]
RECHECK_S = 1.0  # how often to look for a new index generation


class Assistant:
    """Loads the model, guard and index once; answers questions through one LangChain runnable."""

    def __init__(
        self,
        settings: Settings,
        *,
        embedder: Embedder | None = None,
        store: IndexStore | None = None,
        chat_model: Any = None,
    ) -> None:
        self.settings = settings
        self.embedder = embedder or make_embedder(
            settings.embedding_model, settings.embedding_backend, settings.model_cache
        )
        self.store = store or make_store(settings)
        self.guard = Guard(self.embedder.encode)
        learned = settings.learned_triage
        self.scope_model = load_scope_model(self.embedder.name) if learned else None
        flags = self.guard.flags
        flags.learned = load_escalation_model(self.embedder.name, flags.key) if learned else None
        flags.words = load_word_heads() if learned else None
        if chat_model is None and settings.llm != "extractive":
            from assistant.answer.llm import make_chat_model

            chat_model = make_chat_model(settings.llm)
        self.chat_model = chat_model
        self._kb: KnowledgeBase | None = None
        self._checked = 0.0
        self._lock = threading.Lock()
        # one runnable for the stages: LangChain's per-step config and callbacks cost ~0.3 ms each (measured)
        self.runnable: Runnable[State, Answer] = RunnableLambda(self._stages, name="guarded_answer")

    # --- index -----------------------------------------------------------------------------------
    def knowledge(self) -> KnowledgeBase:
        """The serving generation, reloaded when ingest has swapped in a new one."""
        now = time.monotonic()
        with self._lock:
            if self._kb is not None and now - self._checked < RECHECK_S:
                return self._kb
            try:
                version = self.store.version()
            except Exception as exc:  # a stopped Chroma server surfaces as transport errors
                self._kb = None
                raise StoreUnavailableError(
                    "The search index is not reachable right now; please try again shortly."
                ) from exc
            self._checked = now
            if not version:
                self._kb = None
                raise NoIndexError(
                    "The assistant's index is not available right now. Staff: run `python ingest.py`."
                )
            if self._kb is None or self._kb.version != version:
                self._kb = load_knowledge(self.settings, self.store)
            return self._kb

    def warm_up(self) -> None:
        """Load the index and run one question so the first user does not wait."""
        self.ask("How do I do a glute bridge?")

    # --- public ----------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[dict[str, str]] | None = None) -> Answer:
        """Answer one message given earlier turns."""
        started = time.perf_counter()
        try:
            answer = self.runnable.invoke({"question": question, "history": list(history or [])})
        except (NoIndexError, StoreUnavailableError) as exc:
            answer = final("refuse", f"{exc}\n\n{disclaimer_block(M.DISCLAIMER)}", "unavailable", str(exc))
        generation = self._kb.manifest.get("generation", "") if self._kb else ""
        return replace(
            answer,
            latency_ms=round((time.perf_counter() - started) * 1000, 2),
            question=question,
            extra=answer.extra | {"index_version": generation},
        )

    def scope_row(self, question: str) -> tuple[str, np.ndarray | None]:
        """(guard action, the scope classifier's feature row) for one message: what training needs."""
        state = self._retrieve_step(self._guard_step({"question": question, "history": []}))
        return state["verdict"].action, state.get("scope_row")

    # --- stages ----------------------------------------------------------------------------------
    def _stages(self, state: State) -> Answer:
        return self._respond_step(self._retrieve_step(self._guard_step(state)))

    def _guard_step(self, state: State) -> State:
        prepared = prepare(str(state.get("question") or ""), max_chars=self.settings.max_input_chars)
        texts = split_units(prepared.text) if prepared.text else []
        vector, units = None, []
        if prepared.text:
            # one encode call for the sentences; a long message's own vector is their normalised mean
            vectors = self.embedder.encode(texts)
            mean = np.asarray(vectors.mean(axis=0), dtype=np.float32)
            vector = mean / max(float(np.linalg.norm(mean)), 1e-9)
            unit_vectors = list(vectors)
            units = [Unit(t, situation_roles(t), v) for t, v in zip(texts, unit_vectors, strict=True)]
        verdict = self.guard.check(prepared, vector, units)
        return state | {"verdict": verdict, "vector": vector, "units": units}

    def _retrieve_step(self, state: State) -> State:
        verdict: GuardVerdict = state["verdict"]
        if verdict.action != "pass":
            return state
        kb = self.knowledge()
        aside = dict(verdict.set_aside)
        texts = [u.text for u in state["units"] if u.text not in aside] or [verdict.text]
        scope = message_scope(kb, texts, question_indexes(texts))
        scope = replace(scope, not_covered=tuple(dict.fromkeys([*aside.values(), *scope.not_covered])))
        # search for what is asked (and, for "what should I do?", the story just before it)
        focus = scope.focus if not scope.missing and len(texts) > 1 else verdict.text
        corrected, expanded = correct_and_expand(kb, focus)
        kept = [u for u in state["units"] if u.text not in aside]
        if len(texts) > 1 and len(kept) == len(texts):
            # sentences were embedded already: the focus's (or all) mean, no second encode of a long story
            picked = scope.units if focus != verdict.text else range(len(kept))
            mean = unit_mean([kept[i].vector for i in picked])
            vector = state["vector"] if mean is None else mean
        else:
            vector = state["vector"] if corrected == verdict.text else self.embedder.encode_one(corrected)
        previous = previous_question(verdict.text, state["history"])
        if previous:
            vector = blend(vector, self.embedder.encode_one(previous))
            expanded = f"{expanded} {previous}"
        asked = question_indexes(texts)
        others = [texts[i] for i in asked if i not in scope.units]  # asked parts outside the focus
        here = [texts[i] for i in asked if i in scope.units] or [focus]
        whole = len(kept) == len(texts)  # each asked sentence with its vector, when every sentence has one
        asks = [(texts[i], kept[i].vector) for i in asked if i in scope.units] if whole else []
        intent = detect(here, f"{focus} {previous}", verdict.text, others=others)
        story = situation_vectors(kept)
        match = story_match(kb, story, intent)  # the symptom pattern the story tells, for why / what-is
        passages = retrieve(
            kb,
            expanded,
            vector,
            k=self.settings.top_k,
            seller=intent.seller,
            prefer=intent.preferred,
            pattern=match,
            asked=" ".join(here),
        )
        check = assess(
            kb, f"{focus} {previous}".strip(), passages, missing=None if previous else scope.missing
        )
        not_covered = scope.not_covered
        if kept:
            vecs = [kept[i].vector for i in asked if i < len(kept)]  # kept are the texts here
            row = scope_features(
                [v for v in vecs if v is not None] or [state["vector"]],
                check,
                not_covered=len(not_covered),
                product=bool(PRODUCT.search(focus)),
                units=len(kept),
            )
            state = state | {"scope_row": row}
            if self.scope_model is not None and not previous:
                p = self.scope_model.probability(row)
                # a named condition, medicine or procedure the source lacks stays refused, whatever the model says
                answerable = p >= self.scope_model.threshold and not named_missing(check.missing)
                reason = f"{check.reason}; classifier p(answer) {p:.2f}"
                # the product's own facts (ingredients, stated dose, cautions) are in the source
                if not answerable and asks_seller_facts(
                    intent, verdict.text, check.missing, verdict.set_aside
                ):
                    answerable, reason = True, f"{reason}; asks the product's own facts"
                if answerable and check.missing:
                    not_covered = tuple(dict.fromkeys([*not_covered, *check.missing]))
                check = replace(check, answerable=answerable, reason=reason)
        return state | {
            "not_covered": not_covered,
            "kb": kb,
            "query": expanded,
            "qvec": vector,
            "intent": intent,
            "story": story,
            "asks": asks,
            "passages": passages,
            "verdict_check": check,
        }

    def _respond_step(self, state: State) -> Answer:
        verdict: GuardVerdict = state["verdict"]
        if verdict.action == "escalate":
            text = escalation_message(verdict)
            return final(
                "escalate", f"{text}\n\n{disclaimer_block(M.DISCLAIMER)}", verdict.category, verdict.reason
            )
        if verdict.action == "refuse":
            return self._refusal(verdict, verdict.category, verdict.reason, ())
        check = state["verdict_check"]
        passages: list[Passage] = state["passages"]
        if not check.answerable:
            return self._refusal(verdict, "out_of_scope", check.reason, passages, missing=check.missing)
        kb: KnowledgeBase = state["kb"]
        notices, text = verdict.notices, ""
        if self.chat_model is not None:
            from assistant.answer.generate import llm_answer

            text, citations, promotional, note = llm_answer(
                self.chat_model,
                kb,
                state["query"],
                passages,
                embed=self.embedder.encode,
                timeout_s=self.settings.llm_timeout_s,
                kinds=state["intent"].kinds,
            )
            if note:  # the model's answer failed its checks: the extractive answer, with a note why
                notices, text = notices + (note,), ""
        if not text:
            extra = (state.get("intent"), state.get("story"), state.get("asks", ()))
            text, citations, promotional = compose(
                kb, state["query"], state["qvec"], passages, notices, *extra
            )
        if not citations:
            return self._refusal(verdict, "out_of_scope", "no sentence of the passages answers it", passages)
        disclaimer = M.DISCLAIMER + (" " + M.SUPPLEMENT_DISCLAIMER if promotional else "")
        not_covered = worth_naming(state.get("not_covered") or ())
        if not_covered:
            text = f"{text}\n\n_{M.NOT_COVERED.format(what=', '.join(not_covered))}_"
        return Answer(
            decision="answer",
            answer=f"{text}\n\n{disclaimer_block(M.DISCLAIMER)}",
            citations=tuple(citations),
            retrieved=tuple(passages),
            disclaimer=disclaimer,
            category=verdict.category,
            reason=check.reason,
            notices=notices,
            extra={"not_covered": list(not_covered)},
        )

    def _refusal(
        self,
        verdict: GuardVerdict,
        category: str,
        reason: str,
        passages: Sequence[Passage],
        missing: Sequence[str] = (),
    ) -> Answer:
        head = M.refusal_head(category, verdict.reason)
        if head is None and looks_not_english(verdict.text):
            head = M.NOT_ENGLISH
        if head is None:
            what = f" ({', '.join(missing)})" if missing else ""
            head = M.OUT_OF_SCOPE.format(what=what)
        parts = [f"_{n}_" for n in verdict.notices if n != M.DIAGNOSIS_NOTE]
        if verdict.category == "diagnosis":
            parts.append(
                "I can't diagnose what is causing your knee problem; please see a doctor or physiotherapist."
            )
        parts.append(head.strip())
        if category != "empty":
            try:
                sections = self.knowledge().sections()
            except AssistantError:
                sections = []
            if sections:
                parts.append(M.COVERS.format(sections="; ".join(sections)))
        text = "\n\n".join(parts + [disclaimer_block(M.DISCLAIMER)])
        return final("refuse", text, category, reason, passages)
