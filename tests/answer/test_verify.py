"""The verifier and the eval groundedness checker, on hand-made sentences."""

from __future__ import annotations

import numpy as np

from assistant.answer.verify import numbers_match, term_coverage, verify_answer
from assistant.types import Chunk
from evals.grounding import check_answer, supports

PASSAGE = (
    "Take three capsules daily. For more severe knee pain, four capsules per day may provide faster relief."
)
CHUNK = Chunk("id", "s.md", "T", ("Dosage",), 0, PASSAGE, tuple(PASSAGE.split(". ")), True, "h")


def test_term_coverage_by_hand() -> None:
    assert term_coverage("Take three capsules daily [1].", PASSAGE) == 1.0
    # content terms: take, ten, capsul, daily -> 3 of 4 present
    assert term_coverage("Take ten capsules daily.", PASSAGE) == 0.75


def test_numbers_must_match() -> None:
    assert numbers_match("Take three capsules daily.", PASSAGE)
    assert not numbers_match("Take ten capsules daily.", PASSAGE)
    assert not numbers_match("Take 6 capsules daily.", PASSAGE)


def test_verify_keeps_supported_and_drops_the_rest() -> None:
    vecs = [np.zeros((0, 4), dtype=np.float32)]
    text = "Take three capsules daily [1]. Take ten capsules daily [1]. It cures arthritis [1]. Four capsules per day [3]."
    checked = verify_answer(text, [CHUNK], vecs, None)
    assert [c.supported for c in checked] == [True, False, False, False]
    assert checked[3].why == "cites a passage that does not exist"


def test_eval_checker_on_supported_and_unsupported() -> None:
    assert supports("Take three capsules daily", PASSAGE)
    assert supports("take   THREE capsules daily", PASSAGE)
    assert not supports("Take six capsules daily", PASSAGE)
    assert not supports("Regenerix cures arthritis", PASSAGE)
    answer = "From the article *T* (P, 2025):\n\n**Dosage**\n- Take three capsules daily. [1]\n- It heals cartilage. [1]\nUncited claim.\n\n---\n_disclaimer_"
    claims = check_answer(answer, [{"n": 1, "text": PASSAGE}])
    assert [(c.text, c.supported) for c in claims] == [
        ("Take three capsules daily", True),
        ("It heals cartilage", False),
        ("Uncited claim", False),
    ]
