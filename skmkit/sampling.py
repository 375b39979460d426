"""Sample size: Krejcie and Morgan (1970), Slovin, margin of error, adequacy."""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from .survey import round_half_up

__all__ = ["krejcie_morgan", "slovin", "to_hand_out", "margin_of_error", "SampleAdequacy", "sample_adequacy"]

_CHI2 = 3.841  # chi-square, 1 degree of freedom, 95%


def _check_population(population) -> int:
    n = int(population)
    if n != population or n < 1:
        raise ValueError(f"populasi harus bilangan bulat >= 1, bukan {population!r}")
    return n


def krejcie_morgan(population: int, *, p: float = 0.5, d: float = 0.05, chi2: float = _CHI2) -> int:
    """Minimum sample from the Krejcie-Morgan formula, rounded half-up.

    ``S = X^2 N P(1-P) / (d^2 (N-1) + X^2 P(1-P))``. Rounding half-up
    reproduces the published table.

    Examples
    --------
    >>> [krejcie_morgan(n) for n in (100, 1000, 10000, 1000000)]
    [80, 278, 370, 384]
    """
    n = _check_population(population)
    s = chi2 * n * p * (1 - p) / (d * d * (n - 1) + chi2 * p * (1 - p))
    return min(n, int(round_half_up(s, 0)))


def slovin(population: int, *, e: float = 0.05) -> int:
    """Slovin's sample size ``n = N / (1 + N e^2)``, rounded up (as units use it).

    Examples
    --------
    >>> slovin(1000)
    286
    """
    n = _check_population(population)
    return math.ceil(n / (1 + n * e * e) - 1e-9)


def to_hand_out(minimum: int, non_return: float) -> int:
    """Questionnaires to hand out so that ``minimum`` come back when a share ``non_return`` does not.

    ``ceil(minimum / (1 - non_return))``: the returned share of the handed-out
    questionnaires must reach the minimum, so the count is rounded up.

    Examples
    --------
    >>> to_hand_out(278, 0.2), to_hand_out(278, 0)
    (348, 278)
    """
    r = float(non_return)
    if not 0 <= r < 1:
        raise ValueError(f"bagian kuesioner yang tidak kembali harus 0 sampai di bawah 1, bukan {non_return!r}")
    return math.ceil(int(minimum) / (1 - r) - 1e-9)


def margin_of_error(sample: int, population: int | None = None, *, p: float = 0.5, z: float = 1.96) -> float:
    """Margin of error of a proportion (worst case p = 0.5) as a fraction.

    With ``population`` the finite-population correction applies.

    Examples
    --------
    >>> round(margin_of_error(278, 1000), 4)
    0.0497
    """
    if sample < 1:
        raise ValueError("sampel harus >= 1")
    moe = z * math.sqrt(p * (1 - p) / sample)
    if population:
        if population <= 1:
            return 0.0
        moe *= math.sqrt(max(population - sample, 0) / (population - 1))
    return moe


@dataclass(frozen=True)
class SampleAdequacy:
    """The sample verdict a report states in BAB II."""

    population: int | None
    minimum: int | None
    respondents: int
    adequate: bool | None
    shortfall: int
    margin_of_error: float
    method: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def sample_adequacy(respondents: int, population: int | None, *, method: str = "krejcie-morgan") -> SampleAdequacy:
    """Compare the achieved sample with the minimum for a population.

    Examples
    --------
    >>> sample_adequacy(250, 1000).message
    'Sampel kurang: 250 responden, minimum Krejcie-Morgan 278 untuk populasi 1.000 (kurang 28).'
    """
    from .fmt import number

    if not population:
        moe = margin_of_error(max(respondents, 1))
        return SampleAdequacy(None, None, respondents, None, 0, moe, method,
                              f"Populasi tidak diketahui; {number(respondents)} responden "
                              f"(batas galat {number(moe * 100, 1)}% tanpa koreksi populasi).")
    if method == "krejcie-morgan":
        minimum, name = krejcie_morgan(population), "Krejcie-Morgan"
    elif method == "slovin":
        minimum, name = slovin(population), "Slovin (e = 5%)"
    else:
        raise ValueError("method harus 'krejcie-morgan' atau 'slovin'")
    short = max(minimum - respondents, 0)
    moe = margin_of_error(max(respondents, 1), population)
    if short:
        msg = (f"Sampel kurang: {number(respondents)} responden, minimum {name} {number(minimum)} "
               f"untuk populasi {number(population)} (kurang {number(short)}).")
    else:
        msg = (f"Sampel memadai: {number(respondents)} responden, minimum {name} {number(minimum)} "
               f"untuk populasi {number(population)}.")
    return SampleAdequacy(population, minimum, respondents, not short, short, moe, name, msg)
