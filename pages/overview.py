import pandas as pd
import streamlit as st

import ui
from assurance import config
from assurance.board.commentary import (CommentaryError, add_commentary, commentary_text, confirm_commentary,
                                         figure_changed, may_write, qa_commentary)
from assurance.analysis.recalculations import RecalculationError, add_recalculation
from assurance.analysis.spc import label_svg
from assurance.charts import spc_chart
from assurance.disclosure import figure_text, figure_value
from assurance.views import red_first
from assurance.board.challenges import Evidence, may_raise
from assurance.measures.compute import applies, scorecard, scorecard_frame
from assurance.measures.conventions import figure_notes
from ui.challenge import raise_challenge_form
from assurance.measures.framework import BASIS_NAMES, STRAND_NAMES, STRANDS
from assurance.measures.variation import measure_spc

f = ui.page("Overview", "The Performance Assurance Framework for the quarter: every measure, its RAG and how it moved.")
if f.period is None:
    ui.no_data("No returns have been loaded yet. Upload a return or build the demo.")
    st.stop()
publish = ui.publication_mode()
code = f.partner.code if f.partner else None
fs = ui.figures(code)
rows = scorecard(fs, f.period.label)
who = ui.plain(f.partner.name) if f.partner else "the whole Board"
board = config.board()
st.caption(f"{f.period.label} · {who} · rates per 100,000 use {ui.plain(board.population_area)}'s adult population "
           f"(ONS mid-2020). RAG needs {fs.framework.min_denominator} or more cases. "
           + ("Publication mode: small numbers suppressed." if publish else "Unrounded figures for the QA subgroup."))
if not rows or not any(r.figure.has_data for r in rows):
    ui.no_data(f"No figures for {who} in {f.period.label}.")
    st.stop()

listed = [r for r in rows if r.figure.has_data or r.figure.not_collected]  # not collected: shown as [x], never 0
frame = scorecard_frame(listed, publish, qa_commentary(ui.engine(), f.period.label,
                        f.partner.id if f.partner else None), with_trend=True)
rated = frame[frame["RAG"].isin(["Red", "Amber", "Green"])]
c1, c2, c3, c4 = st.columns(4)
c1.metric("Red", int((rated["RAG"] == "Red").sum()))
c2.metric("Amber", int((rated["RAG"] == "Amber").sum()))
c3.metric("Green", int((rated["RAG"] == "Green").sum()))
c4.metric("Not rated", int(len(frame) - len(rated)), help="Information-only measures, small numbers and figures not collected")
shown_rows = listed
not_collected = sum(r.figure.not_collected for r in shown_rows)
for_information = sum(r.measure.polarity == "information" and not r.figure.not_collected for r in shown_rows)
on_small = sum(r.figure.small and r.measure.polarity != "information" for r in shown_rows)
c4.caption(f"{for_information} for information only, {on_small} on small numbers"
           + (f", {not_collected} not collected" if not_collected else ""))

RAG_FILL = {"Red": "background-color: #F4B6B6", "Amber": "background-color: #FFE08A", "Green": "background-color: #B7E1B0"}
# Sized for a 1366x768 laptop and a projector: the columns the Board reads first in view; the rest a click away in
# the table's "Show/hide columns" menu and in full under "A measure in detail".
SCORECARD_COLUMNS = {
    "Measure": st.column_config.TextColumn(width=292, pinned=True),
    "Value": st.column_config.TextColumn(width=66, alignment="right"),
    "Target": st.column_config.TextColumn(width=52, alignment="right"),
    "RAG": st.column_config.TextColumn(width=66),
    "Variation icon": st.column_config.ImageColumn(
        "Var.", width=40, help="Variation (Making Data Count): grey common cause; blue special cause improving, "
        "orange concerning, purple a change in a measure with no better direction; H or L for higher or lower."),
    "Assurance icon": st.column_config.ImageColumn(
        "Ass.", width=40, help="Assurance (Making Data Count): P consistently passing the target, F consistently "
        "failing, ? hit and miss."),
    "On quarter": st.column_config.TextColumn(width=70, alignment="right"),
    "Last 8 quarters": st.column_config.LineChartColumn("Last 8 quarters", width=96),
    "QA commentary": st.column_config.TextColumn(width=146),
    **{name: {"hidden": True} for name in ("Counts", "On year", "England", "Variation", "Assurance")},
}
for strand in STRANDS:
    part = red_first(frame[frame["Strand"] == STRAND_NAMES[strand]])
    if part.empty:
        continue
    st.subheader(f"{STRAND_NAMES[strand]} strand")
    drawn = part.drop(columns=["Strand", "id"])
    words = drawn.pop("Variation"), drawn.pop("Assurance")
    # Making Data Count's icons beside the RAG; the same in words in the hidden columns and in the detail below
    for name, labels in zip(("Variation", "Assurance"), words):
        drawn.insert(drawn.columns.get_loc("RAG") + (1 if name == "Variation" else 2), f"{name} icon",
                     labels.map(lambda v: label_svg(v) or ""))
        drawn[name] = labels
    drawn = drawn[[c for c in SCORECARD_COLUMNS if c in drawn.columns]]
    drawn["Last 8 quarters"] = [[x for x in points if x is not None] for points in drawn["Last 8 quarters"]]
    shown = drawn.style.map(lambda v: RAG_FILL.get(v, ""), subset=["RAG"])
    picked = ui.grid(drawn, styled=shown, on_select="rerun", selection_mode="single-row", key=f"ov-table-{strand}",
                     column_config=SCORECARD_COLUMNS)
    rows_picked = picked.selection.rows if picked else []
    if rows_picked and st.session_state.get(f"_ov-picked-{strand}") != rows_picked:
        st.session_state[f"_ov-picked-{strand}"] = rows_picked
        st.session_state["ov-measure"] = part["id"].iloc[rows_picked[0]]  # one click: the measure in detail below
exported = frame if publish else scorecard_frame(listed, True, qa_commentary(
    ui.engine(), f.period.label, f.partner.id if f.partner else None))
ui.download_csv(exported.drop(columns=["Last 8 quarters", "id"], errors="ignore"), f"scorecard {f.period.label}")
ui.disclosure_key()
st.caption("Variation and Assurance are Making Data Count's: variation from the latest quarter against the limits "
           "(common cause, or special cause improving or concerning); assurance from where the target sits within "
           "the limits (consistently passing, consistently failing, or hit and miss). Worked out on each quarter's "
           "own figure.")

st.caption("Click a row to see that measure in detail below.")
st.divider()
st.subheader("A measure in detail")
ids = frame["id"].tolist()
wanted = st.query_params.get("measure")
if st.session_state.get("ov-measure") not in ids:
    st.session_state["ov-measure"] = wanted if wanted in ids else ids[0]
pick = st.selectbox("Measure", ids, key="ov-measure", format_func=lambda i: fs.framework.get(i).name)
st.query_params["measure"] = pick
m = fs.framework.get(pick)
series = [x for p in fs.periods[: fs.periods.index(f.period.label) + 1] if (x := fs.get(pick, p)) is not None and x.has_data]
st.markdown(f"**{m.name}** ({m.unit}, over {BASIS_NAMES[m.basis]}): {m.numerator}"
            + (f" ÷ {m.denominator}" if m.denominator else "") + ".")
row = frame.set_index("id").loc[pick]
facts = [(k, row[k]) for k in ("Value", "Counts", "Target", "RAG", "On quarter", "On year", "England", "Variation",
                                "Assurance") if k in row and str(row[k]).strip()]
st.markdown(" · ".join(f"{k}: **{ui.plain(str(v))}**" for k, v in facts))
if str(row.get("QA commentary", "")).strip():
    st.info(f"QA commentary: {ui.plain(str(row['QA commentary']))}", icon=":material/comment:")
if m.comparator is not None:
    st.caption(f"England comparator: {m.comparator:g}{'%' if m.unit == '%' else ''}. {m.comparator_note or ''}")
for note in figure_notes(fs, pick, f.period.label, publish, board.weekend_receipt):
    st.caption(note)
if (done := st.session_state.pop("ov-recalc-done", None)):
    st.success(done)
quarters = fs.quarter_series(pick, f.period.label)
spc = measure_spc(quarters, m, fs.recalculations.get(pick, []), publish)
if spc.values:
    title = m.name + ("" if m.basis == "quarter" else ", each quarter on its own")
    fig = spc_chart(spc.periods, spc.values, title, m.unit, spc.result, spc.result.target if spc.result else m.target,
                    spc.breaks)
    data = pd.DataFrame({"Period": [x.period for x in quarters if x.has_data],
                         "Value": [figure_value(x, True) for x in quarters if x.has_data]})
    ui.chart(fig, data, f"{pick} trend", spc.describe()
             + f" Latest: {figure_text(series[-1], publish)} in {series[-1].period}"
             + ("" if m.basis == "quarter" else f" ({BASIS_NAMES[m.basis]})") + ".", key="ov-spc")

if may_raise(ui.current_user()):
    # The partner answerable for the figure: the one chosen in the sidebar, else one the measure applies to.
    answerable = [f.partner] if f.partner else [q for q in f.partners if applies(m, q) and q.type != "Board"]
    if answerable:
        with st.expander(f"Challenge a partner on {m.name}"):
            target = answerable[0]
            if len(answerable) > 1:
                names = {q.code: q.name for q in answerable}
                code = st.selectbox("Partner", list(names), key="ov-challenge-partner", format_func=names.get)
                target = next(q for q in answerable if q.code == code)
            x = ui.figures(target.code).get(pick, f.period.label) if f.partner is None else fs.get(pick, f.period.label)
            evidence = Evidence(pick, f.period.label, *(
                (x.value, x.numerator, x.denominator, x.unit, x.rag) if x is not None else (None,) * 5))
            raise_challenge_form(ui.engine(), target.code, target.name, evidence, "measure", ui.current_user(),
                                 key="ov")

if not may_write(ui.current_user()):
    st.stop()
notes = qa_commentary(ui.engine(), f.period.label, f.partner.id if f.partner else None).get(pick, [])
if notes and figure_changed(notes[0], fs.get(pick, f.period.label)):
    st.warning(f"QA commentary by {ui.plain(notes[0].author)}: "
               f"{ui.plain(commentary_text(notes[0], fs.get(pick, f.period.label), publish))} "
               "Confirm it still holds, or write new commentary below.")
    if st.button("Confirm the commentary against today's figure", key="ov-confirm"):
        confirm_commentary(ui.engine(), notes[0].id, ui.current_user(), address=ui.auth.client_address())
        st.cache_data.clear()
        st.rerun()
with st.expander(f"Record a change in process for {m.name} (the SPC limits are worked out afresh from it)"):
    with st.form("ov-recalc", clear_on_submit=True):
        later = [p for p in spc.periods[1:]] or [f.period.label]
        when = st.selectbox("From the quarter", later, index=len(later) - 1, key="ov-recalc-period")
        why = st.text_input("What changed (shown on the chart)", key="ov-recalc-reason",
                            placeholder="e.g. New triage team from October")
        if st.form_submit_button("Record the change"):
            try:
                add_recalculation(ui.engine(), ui.current_user(), pick, when, why,
                                  f.partner.id if f.partner else None, address=ui.auth.client_address())
                st.cache_data.clear()
                st.session_state["ov-recalc-done"] = f"Recorded: the limits of {m.name} are worked out afresh from {when}."
                st.rerun()
            except (RecalculationError, PermissionError) as exc:
                st.error(ui.message(exc))
with st.form("qa-commentary", clear_on_submit=True):
    st.markdown(f"**QA commentary on {m.name}, {f.period.label}**")
    note = st.text_area("Why did this change? (shown on the scorecard and in the board pack)", key="ov-note")
    if st.form_submit_button("Save commentary"):
        try:
            add_commentary(ui.engine(), pick, f.period.label, note, ui.current_user(),
                           f.partner.id if f.partner else None, address=ui.auth.client_address())
            st.success("Commentary saved.")
            st.cache_data.clear()
        except (CommentaryError, PermissionError) as exc:
            st.error(ui.message(exc))
