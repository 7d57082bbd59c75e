import pandas as pd
import streamlit as st

import ui
from assurance import config
from assurance.board.commentary import (CommentaryError, add_commentary, commentary_text, confirm_commentary,
                                         figure_changed, may_write, qa_commentary)
from assurance.analysis.recalculations import RecalculationError, add_recalculation
from assurance.charts import spc_chart
from assurance.disclosure import figure_text, figure_value
from assurance.board.challenges import Evidence, may_raise
from assurance.measures.compute import (SCORECARD_LABELS, SCORECARD_ON_SCREEN, applies, scorecard, scorecard_counts,
                                        scorecard_frame, scorecard_tables)
from assurance.measures.conventions import figure_notes
from ui.challenge import raise_challenge_form
from assurance.measures.framework import BASIS_NAMES
from assurance.measures.variation import measure_spc

f = ui.page("Overview")
if f.period is None:
    ui.no_data("No returns have been loaded yet. Upload a return or build the demo.")
    st.stop()
publish = ui.publication_mode()
code = f.partner.code if f.partner else None
fs = ui.figures(code)
rows = scorecard(fs, f.period.label)
who = ui.plain(f.partner.name) if f.partner else "the whole Board"
board = config.board()
st.caption(f"Every measure of the Performance Assurance Framework for {f.period.label}, {who}: its RAG and how it "
           f"moved. Rates per 100,000 use {ui.plain(board.population_area)}'s adult population (ONS mid-2020); RAG "
           f"needs {fs.framework.min_denominator} or more cases. "
           + ("Publication mode: small numbers suppressed." if publish else "Unrounded figures for the QA subgroup."))
if not rows or not any(r.figure.has_data for r in rows):
    ui.no_data(f"No figures for {who} in {f.period.label}.")
    st.stop()

listed = [r for r in rows if r.figure.has_data or r.figure.not_collected]  # not collected: shown as [x], never 0
frame = scorecard_frame(listed, publish, qa_commentary(ui.engine(), f.period.label,
                        f.partner.id if f.partner else None), with_trend=True, window_in_name=True)
st.markdown(scorecard_counts(frame, listed), help="Not rated: information-only measures, small numbers and figures "
            "not collected. Click a row to see that measure in detail below the tables.")

RAG_FILL = {"Red": "background-color: #F4B6B6", "Amber": "background-color: #FFE08A", "Green": "background-color: #B7E1B0"}
HELP = {"Variation icon": "Variation (Making Data Count): grey common cause; blue special cause improving, orange "
        "concerning, purple a change in a measure with no better direction; H or L for higher or lower.",
        "Assurance icon": "Assurance (Making Data Count): P consistently passing the target, F consistently failing, "
        "? hit and miss."}
for table in scorecard_tables(frame):
    st.markdown(f"#### {table.title}")
    w = table.widths
    # Sized for a 1366x768 laptop and a projector: each column the Board reads first as wide as its text; the rest a
    # click away in the table's "Show/hide columns" menu and in full under "A measure in detail".
    columns = {
        "Measure": st.column_config.TextColumn(width=w["Measure"]),
        "Value": st.column_config.TextColumn(width=w["Value"], alignment="right"),
        "Target": st.column_config.TextColumn(width=w["Target"], alignment="right"),
        "RAG": st.column_config.TextColumn(width=w["RAG"]),
        **{c: st.column_config.ImageColumn(SCORECARD_LABELS[c], width=w[c], help=HELP[c]) for c in HELP},
        "Last 8 quarters": st.column_config.LineChartColumn("Last 8 quarters", width=w["Last 8 quarters"]),
        **{c: {"hidden": True} for c in table.frame.columns if c not in SCORECARD_ON_SCREEN},
    }
    shown = table.frame.style.map(lambda v: RAG_FILL.get(v, ""), subset=["RAG"])
    strand = table.ids and fs.framework.get(table.ids[0]).strand
    picked = ui.grid(table.frame, styled=shown, on_select="rerun", selection_mode="single-cell",
                     key=f"ov-table-{strand}", column_config=columns)
    cells = picked.selection.cells if picked else []
    rows_picked = [cell[0] for cell in cells]
    if rows_picked and st.session_state.get(f"_ov-picked-{strand}") != rows_picked:
        st.session_state[f"_ov-picked-{strand}"] = rows_picked
        st.session_state["ov-measure"] = table.ids[rows_picked[0]]  # one click: the measure in detail below
    if table.commentary:
        with st.expander(f"QA commentary on {len(table.commentary)} measure"
                         + ("s" if len(table.commentary) > 1 else "") + f" of the {table.title}"):
            for measure, note in table.commentary:
                st.markdown(f"**{ui.plain(measure)}**: {ui.plain(note)}")
exported = scorecard_frame(listed, True, qa_commentary(ui.engine(), f.period.label,
                                                     f.partner.id if f.partner else None))
ui.download_csv(exported.drop(columns=["Last 8 quarters", "id"], errors="ignore"), f"scorecard {f.period.label}")
ui.disclosure_key()
st.caption("Variation and Assurance are Making Data Count's: variation from the latest quarter against the limits "
           "(common cause, or special cause improving or concerning); assurance from where the target sits within "
           "the limits (consistently passing, consistently failing, or hit and miss). Worked out on each quarter's "
           "own figure.")

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
