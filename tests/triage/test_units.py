"""Segmentation and situation markers, worked out by hand."""

from __future__ import annotations

from assistant.triage.redflags import drop_negated
from assistant.triage.segment import is_question, question_indexes, split_units
from assistant.triage.situation import roles


def test_sentences_split_without_spaces_and_at_line_breaks() -> None:
    units = split_units("Hi all.My knee aches after a 10k run on the road.\nWhat can I do")
    assert units == ["Hi all. My knee aches after a 10k run on the road.", "What can I do"]


def test_a_long_run_on_is_cut_at_clause_joints() -> None:
    text = ("my knee is swollen and hot and i have a fever " * 4) + "and i wonder if stretching helps"
    units = split_units(text)
    assert len(units) > 1 and all(len(u.split()) <= 40 for u in units)


def test_two_questions_in_one_sentence_are_two_units() -> None:
    assert split_units("what's a good hamstring stretch, and which shoes should I buy") == [
        "what's a good hamstring stretch",
        "which shoes should I buy",
    ]


def test_questions_are_found_and_a_message_without_one_uses_its_end() -> None:
    units = ["I am 45.", "My knee aches on stairs.", "any advice"]
    assert question_indexes(units) == [2]
    assert question_indexes(["Knee aches after runs.", "It started in May."]) == [0, 1]
    assert is_question("kindly advise which exercise")


def test_situation_information_and_settled_past() -> None:
    assert roles("what are the signs of a blood clot").info_request
    assert not roles("how do I know if my knee is dislocated").info_request
    assert roles("my dad had a stroke last year").past and roles("my dad had a stroke last year").relative
    assert roles("I had a DVT in 2019, now fine").past
    assert not roles("I had surgery 2 years ago and now my calf is swollen").past


def test_negated_words_are_dropped_but_negation_inside_a_sign_is_kept() -> None:
    assert "swelling" not in drop_negated("no swelling, not hot or red")
    assert drop_negated("i am not able to walk") == "i am not able to walk"
    assert "without me" in drop_negated("better off without me")


def test_a_dictated_message_is_cut_at_fillers_and_its_question_found() -> None:
    from assistant.triage.segment import is_question, split_units

    text = (
        "hi um I'm asking for my nan she can't really hold the phone so I'm typing it her knee aches after "
        "the shops um anyway so what's the best stretch for the back of the thigh thanks"
    )
    units = split_units(text)
    assert len(units) >= 2
    assert is_question(units[-1]) and "stretch" in units[-1]
    assert not is_question("can't really hold the phone")


def test_a_question_begun_mid_sentence_after_a_story_is_a_unit_of_its_own() -> None:
    units = split_units(
        "went on a long bike ride along the canal on sunday and my knees were grumbling the whole way home "
        "how should I be stretching my thighs afterwards"
    )
    assert units[-1] == "how should I be stretching my thighs afterwards"
    assert is_question(units[-1]) and not is_question(units[0])
    # short lead-ins and questions that point back into the story stay whole
    assert split_units("honestly I have no idea what to do") == ["honestly I have no idea what to do"]
    pointing = "my coach kept going on about patellar maltracking all session what does that even mean"
    assert split_units(pointing) == [pointing]
    buying = (
        "there are four brands of knee sleeve on this shelf and they all look the same which would you get"
    )
    assert split_units(buying) == [buying]


def test_an_emoji_ends_a_texted_sentence() -> None:
    units = split_units(
        "sprained my wrist last spring but all mended now 👍 wanted to know how to do a glute bridge"
    )
    assert units == [
        "sprained my wrist last spring but all mended now 👍",
        "wanted to know how to do a glute bridge",
    ]
