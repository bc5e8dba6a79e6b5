"""Roles recorded at ingest: a general mechanism over headings and labelled list items."""

from __future__ import annotations

from assistant.ingest.roles import heading_title, item_label, unit_role

TITLE = "Ankle Stiffness in Walkers"


def role(unit: str, *section: str, promotional: bool = False) -> str:
    return unit_role(unit, (TITLE, *section), TITLE, promotional)


def test_labelled_items_take_the_role_their_label_names() -> None:
    assert (
        role("Signs: Stiffness first thing in the morning.", "Common Causes", "1. Tight Calves") == "symptom"
    )
    assert role("Why it happens: The calf pulls the heel up.", "What Leads to Stiffness") == "cause"
    assert role("What to do: Walk on soft ground for a week.", "Relieving Stiffness") == "remedy"


def test_a_named_item_in_a_remedies_section_is_a_step() -> None:
    assert role("Calf Raises: Rise onto your toes and lower slowly.", "Treatment", "Exercises") == "step"
    assert role("Wall Stretch: Lean into a wall with one leg back.", "Self-care", "Stretching") == "step"


def test_section_roles_from_headings() -> None:
    assert role("Stiffness is a loss of range of motion.", "What Is Ankle Stiffness?") == "definition"
    assert role("Tight calves pull on the heel.", "Common Causes of Stiffness") == "cause"
    assert role("Warm up before each walk.", "How to Prevent Stiffness") == "remedy"
    assert role("Walkers usually notice it in spring.") == "overview"


def test_lead_ins_referrals_and_the_sellers_part() -> None:
    assert role("There are three ways to ease it:", "Relieving Stiffness") == "lead_in"
    assert role("If it lasts, a physiotherapist can check your gait.", "Treatment") == "referral"
    assert role("Take two tablets a day.", "Our Balm", "Directions and Dosage", promotional=True) == "dose"
    assert role("Not for use in pregnancy.", "Our Balm", "Warnings", promotional=True) == "safety"
    assert role("Our balm warms the joint.", "Our Balm", promotional=True) == "product"


def test_titles_and_labels() -> None:
    assert heading_title("2. Stretching and Flexibility:") == "Stretching and Flexibility"
    assert item_label("Calf Raises: Rise onto your toes.") == "Calf Raises"
    assert item_label("Walk daily. Rest: when sore.") == ""
