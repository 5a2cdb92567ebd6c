"""The love-score formulas against hand-computed cases."""

import math

from comptoir.voice.stats import Effort, Nps, mix_decomposition, significant_change


def test_all_promoters_score_100_with_an_honest_interval() -> None:
    nps = Nps(promoters=10, passives=0, detractors=0)
    assert nps.score == 100.0
    # Adjusted Wald: n' = 13, p' = 10.75/13, d' = 0.75/13.
    p, d = 10.75 / 13, 0.75 / 13
    se = math.sqrt((p + d - (p - d) ** 2) / 13)
    assert nps.low == 100 * ((10 / 13) - 1.959963984540054 * se)
    assert nps.high == 100.0  # clipped at the scale's top
    assert nps.low < 100


def test_all_detractors_score_minus_100() -> None:
    nps = Nps(promoters=0, passives=0, detractors=7)
    assert nps.score == -100.0
    assert nps.low == -100.0
    assert nps.high is not None and nps.high > -100


def test_one_response() -> None:
    nps = Nps(promoters=0, passives=1, detractors=0, min_responses=1)
    assert nps.score == 0.0 and nps.n == 1 and nps.enough


def test_mixed_case() -> None:
    # 50 promoters, 30 passives, 20 detractors: NPS = 50 % - 20 % = 30.
    nps = Nps(50, 30, 20)
    assert nps.score == 30.0
    assert nps.promoters_pct == 50.0 and nps.detractors_pct == 20.0


def test_minimum_sample_rule_hides_the_number() -> None:
    shown = Nps(20, 5, 5, min_responses=30).as_dict()
    hidden = Nps(20, 5, 4, min_responses=30).as_dict()
    assert shown["enough"] is True and shown["nps"] == 50.0
    assert hidden["enough"] is False and hidden["nps"] is None and hidden["responses"] == 29


def test_no_answers() -> None:
    nps = Nps(0, 0, 0)
    assert nps.score is None and nps.low is None and not nps.enough


def test_significance_at_the_edge() -> None:
    # Same n, find the smallest promoter gap flagged significant: one fewer is not.
    base = Nps(100, 100, 100)
    flagged = [k for k in range(0, 100) if significant_change(Nps(100 + k, 100 - k, 100), base)]
    edge = flagged[0]
    assert not significant_change(Nps(100 + edge - 1, 100 - edge + 1, 100), base)
    a, b = Nps(100 + edge, 100 - edge, 100), base
    z = (a.adjusted - b.adjusted) / math.sqrt(a.variance + b.variance)
    assert z >= 1.959963984540054
    a2 = Nps(100 + edge - 1, 100 - edge + 1, 100)
    z2 = (a2.adjusted - b.adjusted) / math.sqrt(a2.variance + b.variance)
    assert z2 < 1.959963984540054


def test_no_significance_below_the_minimum_sample() -> None:
    assert not significant_change(Nps(10, 0, 0, min_responses=30), Nps(0, 0, 10, min_responses=30))


def test_effort_mean_and_easy_share() -> None:
    effort = Effort(count=4, total=1 + 5 + 6 + 7, easy=3)
    assert effort.mean == 4.75 and effort.easy_pct == 75.0


def test_mix_and_score_effects_add_up_to_the_change() -> None:
    before = {"horeca": Nps(10, 0, 10), "retail": Nps(40, 10, 0)}  # -0 and +80, 20 vs 50 answers
    after = {"horeca": Nps(30, 0, 30), "retail": Nps(16, 4, 0)}  # same scores, more HoReCa
    split = mix_decomposition(before, after)
    total = Nps(46, 4, 30).score - Nps(50, 10, 10).score  # type: ignore[operator]
    assert math.isclose(split.total, total, abs_tol=1e-6)
    assert math.isclose(split.mix, total, abs_tol=1e-6)  # nothing moved within groups
    assert math.isclose(split.scores, 0.0, abs_tol=1e-6)
