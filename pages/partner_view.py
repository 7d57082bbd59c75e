from datetime import date

import pandas as pd
import streamlit as st

import ui
from assurance.board import challenges as ch
from assurance.board.challenges import Evidence, challenge_log
from assurance.board.commentary import partner_commentary
from assurance.board.partner import opening_partner, rag_cell_style
from assurance.charts import bar_chart
from assurance.config import RETURN_TYPES
from assurance.disclosure import figure_counts, figure_text, figure_value
from assurance.measures.compute import RAG_LABELS, applies, rank
from assurance.returns.tracker import published_rows, tracker_frame
from ui.challenge import raise_challenge_form

f = ui.page("Partner view", "One partner's whole picture: their figures against target and against the other partners, "
            "their returns, their commentary and the Board's challenges to them.")
p = f.partner
if p is None and f.period is not None:  # open on the partner the Board most needs to see
    p = opening_partner(f.partners, ui.figures, f.period.label)
if p is None:
    ui.no_data("Choose a partner in the sidebar to see their whole picture.")
    st.stop()
st.subheader(ui.plain(p.name))
if f.partner is None:
    st.caption(f"Showing the partner with the most red measures in {f.period.label}; choose another in the sidebar.")
st.markdown(f"**Type:** {ui.plain(p.type)} · **Code:** {ui.plain(p.code)} · **Returns made:** {', '.join(RETURN_TYPES[r] for r in p.returns) or 'none'}")
if f.period is None:
    ui.no_data("No returns have been loaded yet.")
    st.stop()
publish = ui.publication_mode()
engine = ui.engine()
fs = ui.figures(p.code)
# A partner-bound user sees where their partner ranks, never the other partners' own figures.
see_others = not ui.partner_bound(ui.current_user())
others = [q for q in ui.all_partners() if q.code != p.code and q.type != "Board"]
notes = partner_commentary(engine, f.period.id, p.id)
said = dict(zip(notes["Measure"], notes["Commentary"]))

st.markdown(f"#### Their figures for {f.period.label}")
rows, exported = [], []
for m in fs.framework.measures:
    x = fs.get(m.id, f.period.label)
    if x is None:
        continue
    peers = [y for q in others if applies(m, q) and (y := ui.figures(q.code).get(m.id, f.period.label)) is not None
             and y.value is not None and not y.small]
    position = rank(x, peers, publish)
    rows.append({"Measure": m.name, "Value": figure_text(x, publish), "Counts": figure_counts(x, publish),
                 "Target": "" if x.target is None else f"{x.target:g}",  # in force for the quarter
                 "RAG": "small number" if x.small else ("not collected" if x.not_collected else "no return"
                                                        if not x.has_data else RAG_LABELS[x.rag]),
                 "Rank among partners": f"{position[0]} of {position[1]}" if position else "",
                 "Their commentary": said.get(m.id, ""), "id": m.id})
    exported.append({**rows[-1], "Value": figure_text(x, True), "Counts": figure_counts(x, True)})
mine = pd.DataFrame(rows)
if mine.empty:
    ui.no_data("No framework measures apply to this partner.")
else:
    st.dataframe(mine.drop(columns=["id"]).style.map(rag_cell_style, subset=["RAG"]), hide_index=True, width="stretch")
    ui.download_csv(pd.DataFrame(exported).drop(columns=["id"]), f"{p.code} figures {f.period.label}")

    compare = [r for r in rows if r["RAG"] not in ("no return", "not collected") and fs.framework.get(r["id"]).applies_to in ("assurance", "audit")]
    if compare and see_others:
        pick = st.selectbox("Compare with the other partners", [r["id"] for r in compare], key="pv-compare",
                            format_func=lambda i: fs.framework.get(i).name)
        m = fs.framework.get(pick)
        values = []
        for q in [p, *others]:
            y = ui.figures(q.code).get(pick, f.period.label) if applies(m, q) else None
            v = figure_value(y, publish) if y is not None else None
            if isinstance(v, (int, float)):
                values.append((q.code, float(v)))
        values.sort(key=lambda t: -t[1])
        data = pd.DataFrame(values, columns=["Partner", m.name])
        pos = [c for c, _ in values].index(p.code) + 1 if p.code in dict(values) else None
        ui.chart(bar_chart([c for c, _ in values], [v for _, v in values], f"{m.name}: all partners", m.unit), data, f"{pick} by partner",
                 f"{ui.plain(p.code)} is {pos} of {len(values)} partners; target {m.target:g}." if pos and m.target else
                 f"{len(values)} partners compared.", key="pv-chart")

st.markdown("#### Their returns")
idx = [x.label for x in f.periods].index(f.period.label)
quarters = f.periods[max(0, idx - 3): idx + 1]
every_return = pd.concat([tracker_frame(engine, q.label, partner_code=p.code) for q in quarters], ignore_index=True)
columns = ["Period", "Return", "State", "Due", "Submitted at", "Rows", "Errors", "Queries", "Attempts"]
ui.table(published_rows(every_return, publish)[columns], f"{p.code} returns", key="pv-returns",
         export=published_rows(every_return, True)[columns])
st.caption("On time, late or missing against each quarter's due date; errors and queries are from the latest upload.")

st.markdown("#### Their commentary")
if notes.empty:
    st.caption(f"{ui.plain(p.name)} wrote no commentary in their {f.period.label} assurance return.")
for _, n in notes.iterrows():
    st.markdown(f"**{ui.plain(fs.framework.get(n['Measure']).name if n['Measure'] in fs.framework.ids else n['Measure'])}**")
    st.text(n["Commentary"])

st.markdown("#### Challenges")
log = challenge_log(engine, date.today(), partner_id=p.id, publish=publish)
st.markdown(ch.counts_line(ch.log_counts(log), ui.plain(p.name)))
if not log.empty:
    st.dataframe(ui.blank_empty(ch.log_table(log).drop(columns=["Partner"])), hide_index=True, width="stretch",
                 column_config={"No.": st.column_config.NumberColumn(format="%d", width=48),
                                "Status": st.column_config.TextColumn(width=210)})
    exported = ch.log_export(challenge_log(engine, date.today(), partner_id=p.id, publish=True))
    ui.download_csv(exported, f"{p.code} challenges", key="dl-pv-challenges")
if not mine.empty and ch.may_raise(ui.current_user()):
    with st.expander(f"Raise a challenge to {ui.plain(p.name)}"):
        pick = st.selectbox("About", mine["id"].tolist(), key="pv-measure", format_func=lambda i: fs.framework.get(i).name)
        x = fs.get(pick, f.period.label)
        evidence = Evidence(pick, f.period.label, x.value, x.numerator, x.denominator, x.unit, x.rag)
        raise_challenge_form(engine, p.code, p.name, evidence, "partner view", ui.current_user(), key="pv")
ui.disclosure_key()
