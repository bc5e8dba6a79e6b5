"""Scope on letters, texts and run-on stories (round 7); the wordings are this file's own.

A sign-off's name, an emoji, a question begun mid-sentence, the writer's own pills: none of them changes what
is asked. A remedy the source never names stays outside it, however everyday its words.
"""

from __future__ import annotations

import pytest

from tests.triage.test_messages import _ask

ANSWERED = [
    # a question ending a run-on story with no full stop before it
    "ran the Edinburgh marathon for charity and the downhill bits were the worst part my quads "
    "are tight as anything which stretches should I be doing",
    # an emoji closes the story, and the story names a condition that is background
    "I've got asthma but it's well managed so no worries there 🙂 just need to know how to do the standing quad "
    "stretch my physio showed me",
    # a letter whose sign-off carries a surname the corpus has never seen
    "Dear team,\n\nMy kneecaps ache after an afternoon in the garden kneeling over the borders. What could be "
    "behind it, and what can I do about it?\n\nWarm regards,\nWinifred Oyelaran-Pask",
    # the writer's own tablets are background, not the seller's product
    "I take my pills with breakfast (amlodipine and a statin) and my GP says my knee ache is muscular. Which "
    "muscles would that be, and what should I be doing about them?",
]


# ordinary soreness told as a dated account: the learned heads read day names and "today" in many
# emergencies, so these pin that the story's shape alone escalates nothing
DATED_SORENESS = [
    "Tuesday I did my first ever Pilates reformer class, Wednesday my hamstrings were tight, today Thursday the "
    "backs of my knees feel a bit achy when I walk. Nothing swollen. Which stretch would loosen the hamstrings?",
    "Saturday was my cousin's wedding and I danced in heels till 1am. Sunday both knees ached at the front and "
    "the stairs were a bit sore. Monday now and it's mostly gone. Why does the front of the knee ache like that?",
    "We walked 18 miles on Sunday for the hospice, first time I've done more than 10. Monday my thighs were really "
    "stiff, Tuesday the knees ache going downstairs, today a bit better. What can I do to prepare better next year?",
    "My 14 year old had a football tournament on Saturday, four matches. Sunday he was limping a little from sore "
    "thighs, Monday he was fine at school, today he says his knees ache after PE. What stretches should he do?",
]


@pytest.mark.model
@pytest.mark.parametrize("text", ANSWERED + DATED_SORENESS)
def test_story_letters_and_texts_keep_the_question_in_scope(real_assistant, text) -> None:  # type: ignore[no-untyped-def]
    reply = _ask(real_assistant, text)
    assert reply["decision"] == "answer", reply["guard"]
    assert not any(c["promotional"] for c in reply["citations"])


UNTOLD_REMEDIES = [
    ("Is there anything in the idea of magnetic insoles helping knees that ache?", "magnetic insoles"),
    ("my neighbour has cold plunges every morning, would ice baths help my knees?", "ice baths"),
    ("do copper bracelets actually help with achy knees or is that an old wives tale?", "copper bracelets"),
]


@pytest.mark.model
@pytest.mark.parametrize(("text", "remedy"), UNTOLD_REMEDIES)
def test_a_remedy_the_source_never_names_is_refused(real_assistant, text, remedy) -> None:  # type: ignore[no-untyped-def]
    reply = _ask(real_assistant, text)
    assert reply["decision"] == "refuse", reply["answer"]
    assert remedy in reply["guard"]["reason"]


@pytest.mark.model
@pytest.mark.parametrize(
    "text",
    [
        "would a knee sleeve help when I play netball?",
        "does stretching my hamstrings actually help the knee?",
    ],
)
def test_a_remedy_the_source_names_is_still_answered(real_assistant, text) -> None:  # type: ignore[no-untyped-def]
    assert _ask(real_assistant, text)["decision"] == "answer"
