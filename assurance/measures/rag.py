"""RAG rating from polarity, target and tolerance."""

from __future__ import annotations

def rag(value: float | None, polarity: str, target: float | None, tolerance: float = 0.0) -> str | None:
    """green at or beyond target, amber within tolerance of it, red beyond; None when not rated."""
    if value is None or target is None or polarity == "information":
        return None
    if polarity == "higher":
        return "green" if value >= target else "amber" if value >= target - tolerance else "red"
    if polarity == "lower":
        return "green" if value <= target else "amber" if value <= target + tolerance else "red"
    raise ValueError(f"Unknown polarity {polarity!r}")
