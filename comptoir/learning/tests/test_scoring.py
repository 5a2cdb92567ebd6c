"""Scoring for each kind of question: a point for the right answer, partial answers on multiple choice
and ordering score zero unless the author chose partial credit."""

from comptoir.learning.scoring import Key, answer_key, percent, score


def test_single_choice_scores_one_for_the_right_answer_and_zero_otherwise() -> None:
    key = Key("single", (2,))
    assert score(key, [2]) == 1.0
    assert score(key, [1]) == 0.0
    assert score(key, []) == 0.0


def test_true_false_is_a_single_choice() -> None:
    key = Key("true_false", (10,))
    assert (score(key, [10]), score(key, [11])) == (1.0, 0.0)


def test_multiple_choice_needs_every_right_answer_and_no_wrong_one() -> None:
    key = Key("multiple", (1, 2))
    assert score(key, [2, 1]) == 1.0
    assert score(key, [1]) == 0.0  # partly right: zero without partial credit
    assert score(key, [1, 2, 3]) == 0.0


def test_multiple_choice_with_partial_credit_counts_right_answers_minus_wrong_ones() -> None:
    key = Key("multiple", (1, 2), partial_credit=True)
    assert score(key, [1]) == 0.5
    assert score(key, [1, 3]) == 0.0
    assert score(key, [1, 2, 3]) == 0.5
    assert score(key, [3]) == 0.0  # never negative


def test_ordering_needs_the_exact_order_unless_partial_credit() -> None:
    key = Key("ordering", (5, 6, 7))
    assert score(key, [5, 6, 7]) == 1.0
    assert score(key, [5, 7, 6]) == 0.0
    partial = Key("ordering", (5, 6, 7), partial_credit=True)
    assert score(partial, [5, 7, 6]) == 1 / 3
    assert score(partial, [5, 6]) == 0.0  # not a full ordering


def test_percent_and_answer_keys() -> None:
    assert percent(3, 4) == 75.0
    assert percent(0, 0) == 0.0
    assert answer_key("multiple", [3, 1, 3]) == "1,3"
    assert answer_key("ordering", [3, 1]) == "3,1"
