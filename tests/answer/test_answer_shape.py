"""Answers that address what was asked (issue 12): intent, roles, shape. Fresh wordings, real model."""

from __future__ import annotations

import re
from typing import Any

import pytest

from assistant.answer.intent import detect

_POINT = re.compile(r"^- (.*?) \[\d+\]$", re.M)


def quoted(answer: Any) -> list[str]:
    """The quoted points of an extractive answer, in order."""
    return _POINT.findall(answer.answer)


def roles_of(assistant: Any, answer: Any) -> list[str]:
    """The ingest-time role of every quoted point."""
    kb = assistant.knowledge()
    role = {u: r for c in kb.chunks for u, r in zip(c.units, c.roles, strict=True)}
    return [role[text] for text in quoted(answer)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my kneecap aches when I take the stairs at work, anything I can do about it?", "remedy"),
        ("why would weak glutes make the front of my knee sore", "cause"),
        ("walk me through doing a hamstring stretch, I'm stiff as a board", "howto"),
        ("what does patellar tracking trouble feel like", "symptom"),
        ("whats a muscle imbalance exactly", "definition"),
        ("how many of the gold capsules do people have each day", "dose"),
        ("is it ok to keep taking those capsules alongside my blood thinners", "safety"),
        ("my friend swears by her knee sleeve, what is it supposed to do exactly?", "remedy"),
        ("what's the general approach to sorting out a muscle imbalance?", "remedy"),
        ("is there a simple exercise she could do for weak hamstrings", "exercise"),
        ("which muscles ought I to be stretching before my shift", "remedy"),
        ("ok but what should I add to my gym sessions to correct it", "remedy"),
        ("what would you change in my training then?", "remedy"),
    ],
)
def test_intent_of_fresh_wordings(text: str, kind: str) -> None:
    assert detect(text).kind == kind


def test_seller_text_only_for_product_supplement_or_nutrition_questions() -> None:
    assert not detect("what can I do for sore knees after squats?").seller
    assert detect("does what I eat change anything for my knees?").seller
    assert detect("is it safe for her to take them?", "my mum bought Regenerix Gold").seller
    # a story that mentions a pregnancy turns "can I take it?" about the supplement into a safety question
    assert "safety" in detect(["can she take it now?"], "my wife is pregnant and got Regenerix").kinds
    # the product named anywhere earlier in the message is what "is that OK while pregnant?" asks about
    story = "Mum takes Regenerix Gold and wants to give my wife some. Her knees ache. Is that OK while she's pregnant?"
    assert detect(["Is that OK while she's pregnant?"], "Her knees ache.", story).seller
    assert not detect(["Is that serious?"], "Her knees ache.", story).seller


@pytest.mark.model
def test_what_to_do_question_quotes_remedies_and_the_referral(real_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask("My knee hurts when I go down stairs, what can I do?")
    assert answer.decision == "answer"
    roles = roles_of(real_assistant, answer)
    assert sum(r in ("remedy", "step", "referral") for r in roles) >= len(roles) - 1, roles
    assert "referral" in roles  # the article's own advice to see a physical therapist when pain persists
    assert not any(c.promotional for c in answer.citations)


@pytest.mark.model
def test_why_question_quotes_causes(real_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask("Why do tight thigh muscles at the front end up hurting the kneecap?")
    roles = roles_of(real_assistant, answer)
    assert roles and roles[0] in ("cause", "definition") or "cause" in roles, roles
    assert sum(r in ("cause", "definition", "symptom") for r in roles) > len(roles) / 2, roles


@pytest.mark.model
def test_how_to_question_quotes_the_exercise_whole(real_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask("coach wants me doing glute bridges, how do I actually do one?")
    item = (
        "Glute Bridges: Lie on your back with your knees bent and feet flat on the floor. "
        "Lift your hips toward the ceiling to engage the glutes and hamstrings."
    )
    assert item in quoted(answer)


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "how does an imbalance between muscles actually cause knee pain?",
        "what exercises strengthen weak hamstrings?",
        "which stretches should I do for tight hip flexors",
    ],
)
def test_no_lead_in_is_quoted_alone(real_assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    points = quoted(real_assistant.ask(question))
    assert points
    assert not [p for p in points if p.rstrip().endswith(":")], points


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    [
        "I get a sore knee after deep squats at the gym, any advice?",
        "squats make the front of my knee ache, what should I change?",
        "what helps knee pain from squatting",
    ],
)
def test_no_seller_text_in_an_answer_about_squats(real_assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask(question)
    assert answer.decision == "answer"
    assert not any(c.promotional for c in answer.citations)
    assert "Regenerix" not in answer.answer and "Food and Drug Administration" not in answer.answer


@pytest.mark.model
def test_headings_are_short_titles_not_breadcrumbs(real_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask("what stretches help tight calves and hamstrings around the knee?")
    headings = re.findall(r"^\*\*(.+)\*\*$", answer.answer, re.M)
    assert headings
    assert not [h for h in headings if ">" in h or re.match(r"\d+\.", h)], headings
    assert len(quoted(answer)) <= 5


def test_sentence_search_finds_the_one_answering_sentence_of_a_long_chunk() -> None:
    import numpy as np

    from assistant.index.knowledge import KnowledgeBase
    from assistant.types import Chunk

    def chunk(i: int, units: tuple[str, ...]) -> Chunk:
        return Chunk(f"c{i}", "s.md", "T", ("T", f"S{i}"), i, " ".join(units), units, False, "h")

    e = np.eye(4, dtype=np.float32)
    chunks = [chunk(0, ("a", "b", "c")), chunk(1, ()), chunk(2, ("d",))]
    # chunk 0's mean is far from the query, but its third sentence is the query itself
    vectors = [
        np.stack([e[1], e[2], e[0]]),
        np.zeros((0, 4), np.float32),
        np.stack([0.6 * e[0] + 0.8 * e[3]]),
    ]
    kb = KnowledgeBase({}, chunks, vectors, None, None, None, "v")
    hits = kb.sentence_dense(e[0], 5)
    assert [i for i, _ in hits] == [0, 2]
    assert hits[0][1] == pytest.approx(1.0) and hits[1][1] == pytest.approx(0.6)


def test_on_a_large_index_sentence_search_covers_the_other_searches_candidates(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import numpy as np

    import assistant.index.knowledge as K
    from assistant.types import Chunk

    e = np.eye(3, dtype=np.float32)
    chunks = [Chunk(f"c{i}", "s.md", "T", ("T",), i, "x", ("x",), False, "h") for i in range(3)]
    kb = K.KnowledgeBase({}, chunks, [e[0:1], e[1:2], e[2:3]], None, None, None, "v")
    monkeypatch.setattr(K, "SENTENCE_SEARCH_MAX", 1)  # pretend the index is large
    assert [i for i, _ in kb.sentence_dense(e[0], 5, among=[2, 1])] == [2, 1]  # chunk 0 was no candidate
    assert [i for i, _ in kb.sentence_dense(e[0], 5, among=[0, 2])][0] == 0


def test_the_symptom_pattern_a_story_tells_replaces_a_general_passage_in_the_top_three(
    real_assistant,
) -> None:  # type: ignore[no-untyped-def]
    from assistant.answer.retrieve import with_story
    from assistant.types import Passage

    kb = real_assistant.knowledge()
    general = next(
        i for i, c in enumerate(kb.chunks) if c.roles and set(c.roles) <= {"overview", "definition"}
    )
    pattern = next(i for i, c in enumerate(kb.chunks) if "symptom" in c.roles)
    plain = {"overview", "definition"}
    others = [i for i, c in enumerate(kb.chunks) if "symptom" not in c.roles and not set(c.roles) <= plain][
        :3
    ]

    def passages(rows: list[int]) -> list[Passage]:
        return [Passage(kb.chunks[r], 0.5, 0.0, 0.1, n + 1) for n, r in enumerate(rows)]

    found = passages([general, others[0], others[1], others[2]])
    out = with_story(kb, found, (pattern, kb.chunks[pattern].roles.index("symptom")))
    assert [p.chunk.id for p in out] == [kb.chunks[r].id for r in (pattern, others[0], others[1], general)]
    assert [p.rank for p in out] == [1, 2, 3, 4]
    # no general passage in the top three, or no pattern told: retrieval's order stands
    specific = passages([others[0], others[1], others[2], general])
    assert with_story(kb, specific, (pattern, 0)) == specific
    assert with_story(kb, found, None) == found


@pytest.mark.model
def test_each_question_of_a_message_asking_two_gets_its_own_point(real_assistant) -> None:  # type: ignore[no-untyped-def]
    # the why question leads the search; the stretch question still gets the named stretch it asks for
    answer = real_assistant.ask(
        "my knees ache after long walks on rough ground. why is uneven ground worse for them? "
        "and which stretch is good for the front of the thigh?"
    )
    points = quoted(answer)
    assert any(p.startswith("Standing Quad Stretch:") for p in points), points
    assert "cause" in roles_of(real_assistant, answer)


@pytest.mark.model
def test_a_question_about_form_quotes_the_sections_own_what_to_do(real_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = real_assistant.ask(
        "my dad does sit to stand exercises at his rehab class, what should he think about with his posture so "
        "the knees aren't strained?"
    )
    assert any(p.startswith("What to do:") and "toes" in p for p in quoted(answer)), answer.answer


@pytest.mark.model
def test_a_which_exercise_question_quotes_the_named_exercise(real_assistant) -> None:  # type: ignore[no-untyped-def]
    points = quoted(
        real_assistant.ask(
            "I play five-a-side and the coach reckons my hamstrings are weaker than my quads, that's why my knee "
            "grumbles after games. Which exercise can I do at home for the hamstrings?"
        )
    )
    assert any(p.startswith("Hamstring Curls:") for p in points), points


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "section"),
    [
        (
            "I'm 61 and have been line dancing every Thursday for ten years. Lately my left knee feels a bit "
            "unsteady by the end of the evening, not painful, just not quite trustworthy, and my sister keeps "
            "telling me to see someone. Before I do: does your article say anything about knee supports for "
            "that kind of unsteadiness?",
            "Knee Braces or Support",
        ),
        (
            "Long day at the warehouse again, on my feet from six till six, and the backs of my legs feel like "
            "cables by the end of it. My mate at work swears by his foam roller. What does foam rolling "
            "actually do?",
            "Foam Rolling and Myofascial Release",
        ),
    ],
)
def test_a_question_naming_a_sections_topic_finds_that_section_in_a_long_story(  # type: ignore[no-untyped-def]
    real_assistant, question, section
) -> None:
    answer = real_assistant.ask(question)
    assert answer.decision == "answer"
    assert any(c.section.endswith(section) for c in answer.citations), [c.section for c in answer.citations]
