"""The navigation: st.Page objects for the pages a user may see, and each page's rule handed to the page it runs."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import streamlit as st

from assurance.access.pages import PageRule, may_see

_HANDED = "_page_rule"


def pages_for(table: dict[str, list[tuple]], user, partner_returns=()) -> tuple[dict[str, list], dict[str, PageRule]]:
    """From app.py's table (section -> [(script, title, icon, permission, fed_by)], the first page the default):
    the sections of st.Page objects the user may see (every page, for the sign-in form, before sign-in), and
    every page's rule by its URL path."""
    sections: dict[str, list] = {}
    rules: dict[str, PageRule] = {}
    first = True
    for section, rows in table.items():
        for script, title, icon, permission, fed_by in rows:
            rule = PageRule(script, permission, fed_by)
            if user is not None and not may_see(rule, user, partner_returns) and not first:
                continue
            page = st.Page(APP.parent / script, title=title, icon=icon, default=first)
            first = False
            rules[page.url_path] = rule
            sections.setdefault(section, []).append(page)
    return sections, rules


def show(table: dict[str, list[tuple]], user, partner_returns=()):
    """The navigation for this user (the menu along the top; none before sign-in, when every address draws the
    sign-in form); returns the page to run."""
    sections, rules = pages_for(table, user, partner_returns)
    page = st.navigation(sections, position="top" if user else "hidden")  # the sidebar keeps the filters in view
    return page, rules[page.url_path]


def hand_over(rule: PageRule) -> None:
    """app.py hands the page it is about to run its rule (ui.page takes it)."""
    st.session_state[_HANDED] = rule


def take() -> PageRule | None:
    """The rule app.py handed over for this run; None when Streamlit ran the page without app.py."""
    return st.session_state.pop(_HANDED, None)


APP = Path(__file__).resolve().parents[1] / "app.py"


@cache
def declared() -> dict[str, list[tuple]]:
    """app.py's table of pages, read as data without running app.py (for a page Streamlit runs without it)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    node = next(n for n in tree.body if isinstance(n, ast.Assign) and getattr(n.targets[0], "id", "") == "PAGES")
    return ast.literal_eval(node.value)
