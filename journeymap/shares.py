"""How a touchpoint's flows share its customers: one rule for the analysis, the loader's
value checks and every renderer. Light on purpose (no numpy, no networkx): `validate` uses it."""

from __future__ import annotations


def resolve_shares(flows: list[tuple[str, float | None]]) -> list[float]:
    """Resolve the shares of one touchpoint's flows: explicit shares stay; flows without a
    share split what is left of 1 equally; a total above 1 is scaled down to 1.

    >>> resolve_shares([("a", 0.5), ("b", None), ("c", None)])
    [0.5, 0.25, 0.25]
    >>> resolve_shares([("a", 0.3)])
    [0.3]
    """
    explicit = sum(s for _, s in flows if s is not None)
    implied = [i for i, (_, s) in enumerate(flows) if s is None]
    rest = max(0.0, 1.0 - explicit)
    each = rest / len(implied) if implied else 0.0
    shares = [each if s is None else float(s) for _, s in flows]
    total = sum(shares)
    if total > 1.0:
        shares = [s / total for s in shares]
    return shares
