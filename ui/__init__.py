"""Streamlit helpers shared by app.py and the pages: the cached engine, the shared filters, downloads.

Only presentation lives here; every figure comes from the assurance package.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from assurance import config
from assurance.db.engine import get_engine, schema_ready
from assurance.directory import PartnerInfo, PeriodInfo, list_partners, periods_with_data

ALL_PARTNERS = "All partners"


@st.cache_resource
def engine():
    return get_engine(config.database_url())


@dataclass(frozen=True)
class Filters:
    period: PeriodInfo | None
    partner: PartnerInfo | None  # None = the whole Board
    periods: tuple[PeriodInfo, ...]
    partners: tuple[PartnerInfo, ...]


@st.cache_data(ttl=60, max_entries=8)
def _choices(url: str) -> tuple[tuple[PeriodInfo, ...], tuple[PartnerInfo, ...]]:
    eng = get_engine(url)
    return tuple(periods_with_data(eng)), tuple(list_partners(eng))


def sidebar_filters() -> Filters:
    """The reporting period and partner every page shares (same widget keys on every page, so the choice carries)."""
    periods, partners = _choices(config.database_url())
    labels = [p.label for p in reversed(periods)]
    codes = [ALL_PARTNERS] + [p.code for p in partners]
    # Widgets belong to a page, so the choice is kept under keys of its own and carried to the next page.
    for key, options in (("period", labels), ("partner", codes)):
        kept = st.session_state.get(f"_{key}_choice")
        if st.session_state.get(key) not in options:
            st.session_state[key] = kept if kept in options else (options[0] if options else None)
    with st.sidebar:
        st.markdown("**Filters**")
        label = st.selectbox("Reporting period", labels, key="period", help="UK financial-year quarter")
        names = {p.code: f"{p.name} ({p.code})" for p in partners}
        code = st.selectbox("Partner", codes, key="partner", format_func=lambda c: names.get(c, c))
    st.session_state["_period_choice"], st.session_state["_partner_choice"] = label, code
    period = next((p for p in periods if p.label == label), None)
    partner = next((p for p in partners if p.code == code), None)
    return Filters(period, partner, periods, partners)


def page(title: str, caption: str | None = None) -> Filters:
    """Start a page: the demo banner, the shared sidebar filters, then the title. Every page calls this first."""
    demo_banner()
    if not database_ready():
        st.error(
            "The database has no schema yet. Run `python -m assurance init-db` (or `make run`, which also "
            "builds the synthetic demo), then reload this page."
        )
        st.stop()
    f = sidebar_filters()
    st.title(title)
    if caption:
        st.caption(caption)
    return f


def demo_banner() -> None:
    board = config.board()
    if board.demo:
        st.warning(
            "**Synthetic demo data.** Every person, case and figure here is made up by the demo "
            "generator; none of it describes real people or real agencies.",
            icon=":material/science:",
        )


def database_ready() -> bool:
    return schema_ready(engine())


def download_csv(df: pd.DataFrame, file_stem: str, label: str = "Download data (CSV)", key: str | None = None) -> None:
    st.download_button(
        label, df.to_csv(index=False).encode("utf-8-sig"), file_name=f"{file_stem}.csv", mime="text/csv",
        key=key or f"dl-{file_stem}",
    )


def no_data(message: str = "No data for this period yet.") -> None:
    st.info(message, icon=":material/info:")


def current_user_name() -> str:
    """Who is using the app, for the record (until sign-in arrives: the operating-system user)."""
    import getpass

    return st.session_state.get("user_name") or getpass.getuser()


# --- figures, tables and charts, as every review page shows them --------------------------------


def publication_mode() -> bool:
    """Whether figures on screen go through small-number suppression."""
    return config.board().publication_mode


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def _figures(url: str, partner_code: str | None, framework_mtime: float):
    from assurance.measures.compute import compute_figures

    return compute_figures(get_engine(url), partner_code)


def figures(partner_code: str | None = None):
    """The framework's figures for the Board (or one partner), every period (cached briefly)."""
    from assurance.measures.framework import framework_path

    path = framework_path()
    return _figures(config.database_url(), partner_code, path.stat().st_mtime if path.exists() else 0.0)


def table(frame: pd.DataFrame, file_stem: str, count_columns: list[str] | None = None, key: str | None = None,
          **kwargs) -> pd.DataFrame:
    """A table with its CSV download; count columns are suppressed in publication mode. Returns what was shown."""
    from assurance.disclosure import publish_table

    shown = frame
    if count_columns and publication_mode() and not frame.empty:
        shown = publish_table(frame, count_columns).astype({c: str for c in count_columns})
    st.dataframe(shown, hide_index=True, width="stretch", **kwargs)
    download_csv(shown, file_stem, key=key)
    return shown


def chart(fig, data: pd.DataFrame, file_stem: str, summary: str, key: str | None = None) -> None:
    """A Plotly chart, a sentence saying what it shows, and its data as CSV."""
    st.plotly_chart(fig, width="stretch", key=key)
    st.caption(summary)
    download_csv(data, file_stem, label="Download chart data (CSV)", key=f"dl-chart-{key or file_stem}")


def disclosure_key() -> None:
    """The key to the suppression symbols, shown whenever publication mode is on."""
    from assurance.disclosure import KEY

    if publication_mode():
        with st.expander("Publication mode is on: key to symbols"):
            for symbol, meaning in KEY:
                st.markdown(f"**{symbol}**: {meaning}")
