"""Streamlit helpers shared by app.py and the pages: the cached engine, the shared filters, downloads.

Only presentation lives here; every figure comes from the assurance package.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from assurance import config
from assurance.access import audit as _audit
from assurance.access.accounts import UserInfo
from assurance.access.roles import partner_bound
from assurance.db.engine import get_engine, schema_ready
from assurance.errors import DatabaseUnreachable
from assurance.directory import PartnerInfo, PeriodInfo, list_partners, list_periods, periods_with_data
from assurance.exports import safe_csv
from ui import auth, navigation
from ui.text import message, plain  # noqa: F401 - pages call ui.plain and ui.message

ALL_PARTNERS = "All partners"


ICON = Path(__file__).resolve().parent / "static" / "favicon.png"  # served by the app itself, like every asset


def engine():
    """The engine for the configured database (get_engine keeps one per URL; keyed by URL so a changed
    ASSURANCE_DATABASE_URL, as in tests, is never served another database's engine)."""
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
    periods = periods_with_data(eng) or list_periods(eng)  # a new Board: the configured quarters, before any return
    return tuple(periods), tuple(list_partners(eng))


def all_partners() -> tuple[PartnerInfo, ...]:
    """Every active partner, whoever is signed in (for rankings that name no other partner)."""
    return _choices(config.database_url())[1]


def partner_returns(user: UserInfo | None) -> tuple[str, ...]:
    """The returns the user's own partner makes (none for a user not bound to a partner)."""
    if user is None or user.partner_id is None or not database_ready():
        return ()
    return next((p.returns for p in all_partners() if p.id == user.partner_id), ())


def _keep_choice(key: str) -> None:
    st.session_state[f"_{key}_choice"] = st.session_state[key]


def sidebar_filters(user: UserInfo | None = None) -> Filters:
    """The reporting period and partner every page shares (same widget keys on every page, so the choice carries).

    A partner-bound user (analyst, partner lead) gets their own partner whatever the session or URL says.
    """
    periods, partners = _choices(config.database_url())
    bound = partner_bound(user)
    if bound:
        partners = tuple(p for p in partners if p.id == user.partner_id)
    labels = [p.label for p in reversed(periods)]
    codes = ([] if bound else [ALL_PARTNERS]) + [p.code for p in partners]
    # Widgets belong to a page, so the choice is kept under keys of its own and carried to the next page; it is
    # mirrored in the address (?period=...&partner=...), so a refresh or a copied link keeps it too.
    # The kept choice is given to the widget on every run (Streamlit does not carry a widget's value to another
    # page reliably); a change by the user is kept by the widget's callback, which runs before the page.
    for key, options in (("period", labels), ("partner", codes)):
        kept = (st.session_state.get(f"_{key}_choice"), st.query_params.get(key))
        st.session_state[key] = next((v for v in kept if v in options), options[0] if options else None)
    with st.sidebar:
        st.markdown("**Filters**")
        label = st.selectbox("Reporting period", labels, key="period", help="UK financial-year quarter",
                             on_change=_keep_choice, args=("period",))
        names = {p.code: f"{p.name} ({p.code})" for p in partners}
        code = st.selectbox("Partner", codes, key="partner", format_func=lambda c: names.get(c, c), disabled=bound,
                            on_change=_keep_choice, args=("partner",))
    st.session_state["_period_choice"], st.session_state["_partner_choice"] = label, code
    for key, value in (("period", label), ("partner", code)):
        if value is not None and st.query_params.get(key) != value:
            st.query_params[key] = value
    period = next((p for p in periods if p.label == label), None)
    partner = next((p for p in partners if p.code == code), None)
    if bound:
        partner = partners[0] if partners else None
    return Filters(period, partner, periods, partners)


def page(title: str, caption: str | None = None) -> Filters:
    """Start a page: the demo banner, sign-in, the page's rule (handed over by app.py, which declares it), the shared
    sidebar filters, then the title.

    Every page calls this first. Nobody signed in: the sign-in form is drawn instead and the page stops. A user the
    page's rule does not allow gets a plain refusal, not the page.
    """
    rule = navigation.take()
    if rule is None:
        _through_the_app()
    demo_banner()
    if not database_ready():
        st.error(
            "The database has no schema yet. Run `python -m assurance init-db` (or `make run`, which also "
            "builds the synthetic demo), then reload this page."
        )
        st.stop()
    user = auth.resolve_user()  # read afresh: the rest of the run reuses it
    if user is None:
        auth.sign_in_form()
        st.stop()
    auth.sidebar_identity(user)
    auth.require_page(user, rule, partner_returns(user))
    if partner_bound(user) and user.partner_id is None:
        st.error("Your account is not linked to a partner yet. Ask an administrator.")
        st.stop()
    f = sidebar_filters(user)
    st.title(title)
    if caption:
        st.caption(caption)
    return f


def run_app(table: dict[str, list[tuple]]) -> None:
    """What app.py does on every run: the page settings, who is signed in, the menu of the pages they may open, and
    the chosen page, handed its rule (app.py's table: section -> (script, title, icon, permission, fed_by))."""
    st.set_page_config(page_title="Safeguarding Adults Board assurance", page_icon=str(ICON), layout="wide")
    user = auth.resolve_user(database_ready())  # once per run; pages reuse it
    page, rule = navigation.show(table, user, partner_returns(user))
    st.sidebar.caption(plain(config.board().name))
    navigation.hand_over(rule)
    page.run()


def _through_the_app() -> None:
    """A page script run without app.py: AppTest runs a page file on its own (the server always runs app.py
    first). Do here what app.py does, with app.py's table (read as data): the page asked for runs inside it, if
    the user may open it, or else the default page; then stop. No page can be reached around its permission."""
    run_app(navigation.declared())
    st.stop()


@st.cache_data(ttl=60, max_entries=8, show_spinner=False)
def _holds_demo_data(url: str) -> bool:
    from assurance.demo import holds_demo_data

    return holds_demo_data(get_engine(url))


def demo_banner() -> None:
    """The synthetic-data banner: shown whenever the database holds the demo generator's data, and on a Board in
    demo mode (its sign-in page lists demo accounts)."""
    if config.board().demo or _holds_demo_data(config.database_url()):
        st.warning(
            "**Synthetic demo data.** Every person, case and figure here is made up by the demo "
            "generator; none of it describes real people or real agencies.",
            icon=":material/science:",
        )


def database_ready() -> bool:
    """Whether the schema is in place; a database that cannot be reached is said so and the run stops."""
    try:
        return schema_ready(engine())
    except DatabaseUnreachable as exc:
        st.error(message(exc))
        st.stop()


def download_csv(df: pd.DataFrame, file_stem: str, label: str = "Download data (CSV)", key: str | None = None) -> None:
    """A CSV download of the frame, formula-safe (assurance.exports.safe_frame); the download is audited."""
    st.download_button(
        label, safe_csv(df), file_name=f"{file_stem}.csv", mime="text/csv",
        key=key or f"dl-{file_stem}", on_click=record_export, args=(f"{file_stem}.csv", len(df)),
    )


def record_export(file_name: str, rows: int | None = None) -> None:
    """Audit an export (use as on_click of any other download button)."""
    auth.record(_audit.EXPORT, file_name, None if rows is None else {"rows": rows})




def no_activity_return(f: Filters, what: str) -> str:
    """Why a page built on the safeguarding activity return has nothing to show for the chosen partner."""
    if f.partner is not None and "activity" not in f.partner.returns:
        return (f"{what} come from the safeguarding activity return, which the local authority makes; "
                f"{plain(f.partner.name)} does not make it." +
                ("" if partner_bound(current_user()) else " Choose the local authority or All partners in the sidebar."))
    who = plain(f.partner.name) if f.partner else "The Board"
    return f"{who} has no accepted safeguarding activity return for {f.period.label} yet."


def blank_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for display with empty cells blank rather than 'None'. A text column's gaps become ''; a column of
    dates with gaps becomes dd/mm/yyyy text (a column mixing dates and text would not display); numbers are kept."""
    import datetime as dt

    out = frame.copy()
    for c in out.columns:
        col = out[c]
        if col.dtype != object or not col.isna().any():
            continue
        values = col.dropna()
        if all(isinstance(v, str) for v in values):
            out[c] = col.where(col.notna(), "")
        elif all(isinstance(v, (dt.date, pd.Timestamp)) for v in values):
            out[c] = [f"{v:%d/%m/%Y}" if isinstance(v, (dt.date, pd.Timestamp)) else "" for v in col]
    return out


def due_date_form(period: PeriodInfo, key: str) -> bool:
    """The form that changes when a quarter's returns are due (administrators); True once changed."""
    from assurance import administration as adm
    from assurance.access.roles import AccessDenied

    with st.form(key):
        due = st.date_input("Returns due by", value=period.due, min_value=period.end, format="DD/MM/YYYY")
        if not st.form_submit_button("Save the due date", type="primary"):
            return False
        try:
            changed = adm.set_due_date(engine(), current_user(), period.label, due, address=auth.client_address())
        except (adm.AdminError, AccessDenied) as exc:
            st.error(message(exc))
            return False
        st.success(f"Returns for {period.label} are now due by {due:%d %B %Y}." if changed else "Nothing to change.")
        return changed


def no_data(message: str = "No data for this period yet.") -> None:
    st.info(message, icon=":material/info:")


def current_user() -> UserInfo | None:
    """The signed-in user (role, partner_id, partner_code, ...); None when nobody is signed in."""
    return auth.current_user()


def current_user_name() -> str:
    """Who is using the app, for the record: the signed-in user's username."""
    user = auth.current_user()
    return user.actor if user else "anonymous"


def allowed(permission: str, partner_id: int | None = None) -> bool:
    """Server-side check before an action: may the signed-in user do `permission` (for that partner)?"""
    return auth.allowed(permission, partner_id)


def audit(action: str, target: str | None = None, details=None) -> None:
    """Record an event in the audit trail as the signed-in user (from their address)."""
    auth.record(action, target, details)


# --- figures, tables and charts, as every review page shows them --------------------------------


def publication_mode() -> bool:
    """Whether figures on screen go through small-number suppression (the one policy: disclosure.publish_for)."""
    from assurance.disclosure import publish_for

    return publish_for(auth.current_user(), config.board().publication_mode, "screen")


@st.cache_data(ttl=120, max_entries=64, show_spinner=False)
def _figures(url: str, partner_code: str | None, framework_mtime: float):
    from assurance.measures.compute import compute_figures

    return compute_figures(get_engine(url), partner_code)


def figures(partner_code: str | None = None):
    """The framework's figures for the Board (or one partner), every period (cached briefly)."""
    from assurance.measures.framework import framework_path

    path = framework_path()
    return _figures(config.database_url(), partner_code, path.stat().st_mtime if path.exists() else 0.0)


def published(frame: pd.DataFrame, count_columns: list[str] | None, percent_columns: dict[str, str] | None = None,
              totals: bool = True) -> pd.DataFrame:
    """The frame with its count columns suppressed and rounded (publication mode), and each percentage withheld
    where its count is hidden (percent_columns: percentage column -> count column). totals=False for breakdowns
    whose categories overlap (no total can give a cell away)."""
    from assurance.disclosure import publish_table

    present = [c for c in (count_columns or []) if c in frame.columns]
    if not present or frame.empty:
        return frame
    pcts = {p: c for p, c in (percent_columns or {}).items() if p in frame.columns and c in present}
    out = publish_table(frame, present, row_totals=totals, column_totals=totals, percent_columns=pcts)
    return out.astype({c: str for c in [*present, *pcts]})


def shown(frame: pd.DataFrame, count_columns: list[str], percent_columns: dict[str, str] | None = None,
          totals: bool = True) -> pd.DataFrame:
    """What the screen shows: the frame, or its published form in publication mode."""
    return published(frame, count_columns, percent_columns, totals) if publication_mode() else frame


def plotted(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """The rows of a shown frame whose `column` is a number (suppressed cells are not drawn)."""
    values = pd.to_numeric(frame[column], errors="coerce")
    return frame.assign(**{column: values})[values.notna()]


def table(frame: pd.DataFrame, file_stem: str, count_columns: list[str] | None = None, key: str | None = None,
          percent_columns: dict[str, str] | None = None, totals: bool = True, export: pd.DataFrame | None = None,
          **kwargs) -> pd.DataFrame:
    """A table with its CSV download. Count columns are suppressed on screen in publication mode, and always in
    the download (every export leaves the product in publication mode; `export`, when given, is the frame's
    published form to download). Returns what was shown."""
    on_screen = shown(frame, count_columns or [], percent_columns, totals)
    grid(on_screen, **kwargs)
    download_csv(published(frame if export is None else export, count_columns, percent_columns, totals), file_stem,
                 key=key)
    return on_screen


def chart(fig, data: pd.DataFrame, file_stem: str, summary: str, key: str | None = None,
          count_columns: list[str] | None = None, percent_columns: dict[str, str] | None = None,
          totals: bool = True, export: pd.DataFrame | None = None) -> None:
    """A Plotly chart, a sentence saying what it shows, and its data as CSV (in publication mode; `export`, when
    given, is the data's published form to download)."""
    st.plotly_chart(fig, width="stretch", key=key)
    st.caption(summary)
    download_csv(published(data if export is None else export, count_columns, percent_columns, totals), file_stem,
                 label="Download chart data (CSV)", key=f"dl-chart-{key or file_stem}")


def view(v, key: str | None = None, **kwargs) -> pd.DataFrame:
    """A table from the presentation layer (assurance.views): drawn as the policy publishes it for this user on
    screen, downloaded as it leaves in a file. Returns what was shown."""
    on_screen = v.shown(publication_mode())
    grid(on_screen, **kwargs)
    download_csv(v.shown(True), v.file_name.removesuffix(".csv"), key=key)
    return on_screen


def grid(frame: pd.DataFrame, column_config: dict | None = None, height="content", styled=None, **kwargs):
    """A table drawn for a laptop and a projector: every row in view (no scrolling inside the table unless the
    caller gives a height), and the published numbers (text beside [c]) right-aligned like numbers.
    `styled`, when given, is the frame's pandas Styler to draw instead."""
    from assurance.disclosure import number_columns, one_type_per_column

    frame = one_type_per_column(frame)
    config = {c: st.column_config.TextColumn(alignment="right") for c in number_columns(frame)}
    for name, given in (column_config or {}).items():
        if name in config and isinstance(given, dict) and not given.get("alignment"):
            given = {**given, "alignment": "right"}  # a label or width given: still a column of numbers
        config[name] = given
    kwargs.setdefault("width", "stretch")
    return st.dataframe(frame if styled is None else styled, hide_index=True, height=height, column_config=config,
                        **kwargs)


def view_chart(fig, v, summary: str, key: str | None = None) -> None:
    """A chart of a presentation-layer table, a sentence saying what it shows, and its data as it leaves."""
    st.plotly_chart(fig, width="stretch", key=key)
    st.caption(summary)
    download_csv(v.shown(True), v.file_name.removesuffix(".csv"), label="Download chart data (CSV)",
                 key=f"dl-chart-{key or v.file_name}")


def disclosure_key() -> None:
    """The key to the suppression symbols, shown whenever publication mode is on."""
    from assurance.disclosure import KEY

    title = ("Publication mode is on: key to symbols" if publication_mode()
             else "Unrounded figures for the QA subgroup; downloads are in publication mode: key to symbols")
    with st.expander(title):
        for symbol, meaning in KEY:
            st.markdown(f"**{symbol}**: {meaning}")
