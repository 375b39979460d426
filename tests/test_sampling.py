"""Sample size: Krejcie-Morgan against the published 1970 table, Slovin, margin of error."""
import math

import pytest

from skmkit import krejcie_morgan, margin_of_error, sample_adequacy, slovin

# Rows of Krejcie & Morgan (1970), Table 1, as printed (N -> S).
PUBLISHED = {
    10: 10, 15: 14, 20: 19, 30: 28, 40: 36, 50: 44, 60: 52, 70: 59, 80: 66, 90: 73,
    100: 80, 150: 108, 200: 132, 250: 152, 300: 169, 400: 196, 500: 217, 600: 234,
    700: 248, 800: 260, 900: 269, 1000: 278, 1500: 306, 2000: 322, 3000: 341, 4000: 351,
    5000: 357, 6000: 361, 8000: 367, 10000: 370, 15000: 375, 20000: 377, 30000: 379,
    40000: 380, 50000: 381, 75000: 382, 1000000: 384,
}


@pytest.mark.parametrize("population,expected", sorted(PUBLISHED.items()))
def test_krejcie_morgan_reproduces_published_table(population, expected):
    assert krejcie_morgan(population) == expected


def test_rounding_up_would_break_the_table():
    # The method doc's point: ceil() breaks rows such as N=50 (44.34 -> 45, printed 44).
    s = 3.841 * 50 * 0.25 / (0.0025 * 49 + 3.841 * 0.25)
    assert math.ceil(s) == 45 and krejcie_morgan(50) == 44
    broken = [n for n in PUBLISHED
              if math.ceil(3.841 * n * 0.25 / (0.0025 * (n - 1) + 3.841 * 0.25)) != PUBLISHED[n]]
    assert len(broken) >= len(PUBLISHED) // 3


def test_slovin_by_hand():
    # n = N / (1 + N e^2): 1000 / 3.5 = 285.7 -> 286; 100 / 1.25 = 80 exactly.
    assert slovin(1000) == 286
    assert slovin(100) == 80


def test_margin_of_error_with_finite_population_correction():
    plain = 1.96 * math.sqrt(0.25 / 278)
    assert margin_of_error(278) == pytest.approx(plain)
    assert margin_of_error(278, 1000) == pytest.approx(plain * math.sqrt(722 / 999))
    assert margin_of_error(1000, 1000) == 0.0


def test_adequacy_verdict():
    short = sample_adequacy(250, 1000)
    assert short.adequate is False and short.minimum == 278 and short.shortfall == 28
    assert "kurang 28" in short.message and "1.000" in short.message
    ok = sample_adequacy(300, 1000)
    assert ok.adequate is True and ok.shortfall == 0
    assert sample_adequacy(50, None).adequate is None
    assert sample_adequacy(280, 1000, method="slovin").minimum == 286


@pytest.mark.parametrize("bad", [0, -5, 2.5])
def test_bad_population_is_refused(bad):
    with pytest.raises(ValueError):
        krejcie_morgan(bad)
