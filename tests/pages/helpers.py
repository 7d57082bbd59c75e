"""Helpers for AppTest: run app.py, then a page, under the shared sidebar filters."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from pathlib import Path

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_page(page: str, period: str | None = None, partner: str | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.run()
    at.switch_page(page)
    at.run()
    if period is not None:
        at.sidebar.selectbox(key="period").set_value(period)
    if partner is not None:
        at.sidebar.selectbox(key="partner").set_value(partner)
    if period is not None or partner is not None:
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """All the text the page shows (markdown, captions, titles, alerts, metrics), joined."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts.extend(str(e.value) for e in getattr(at, kind))
    parts.extend(f"{m.label}: {m.value}" for m in at.metric)
    return "\n".join(parts)
