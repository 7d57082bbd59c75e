from datetime import date

import pandas as pd
import streamlit as st

import ui
from assurance.board import challenges as ch
from assurance.board.challenges import Evidence, challenge_log
from assurance.board.commentary import partner_commentary
from assurance.board.partner import (FIGURE_LABELS, comparison_sentence, opening_partner, partner_challenges,
                                     partner_figures, rag_cell_style)
from assurance.charts import bar_chart
from assurance.config import RETURN_TYPES
from assurance.disclosure import figure_value
from assurance.measures.compute import applies
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
st.caption(f"{ui.plain(p.type)} · code {ui.plain(p.code)} · returns made: "
           f"{', '.join(RETURN_TYPES[r] for r in p.returns) or 'none'}"
           + (f". Shown as the partner with the most red measures in {f.period.label}; choose another in the sidebar."
              if f.partner is None and f.period is not None else ""))
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

st.markdown(f"#### Their figures for {f.period.label}, red first")
figures = partner_figures(fs, f.period.label, lambda m: [ui.figures(q.code).get(m.id, f.period.label) for q in others
                                                         if applies(m, q)], said, publish)
mine = figures.frame
rows = mine.to_dict("records")
if mine.empty:
    ui.no_data("No framework measures apply to this partner.")
else:
    w = figures.widths
    ui.grid(mine, styled=mine.style.map(rag_cell_style, subset=["RAG"]), column_config={
        **{c: st.column_config.TextColumn(FIGURE_LABELS.get(c, c), width=w[c]) for c in figures.on_screen},
        "Rank among partners": st.column_config.TextColumn(
            "Rank", width=w.get("Rank among partners"), help="Among the partners with a rated figure, best first"),
        **{c: {"hidden": True} for c in mine.columns if c not in figures.on_screen}})
    ui.download_csv(figures.export, f"{p.code} figures {f.period.label}")

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
                 ui.plain(comparison_sentence(p.name, pos, len(values), m.target, m.unit)), key="pv-chart")

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
    challenges = partner_challenges(ch.log_table(log))
    ui.grid(challenges.frame, column_config={c: st.column_config.TextColumn(width=w) if c != "No." else
                                             st.column_config.NumberColumn(format="%d", width=w)
                                             for c, w in challenges.widths.items()})
    for number, question in challenges.questions:
        st.markdown(f"**No. {number}:** {ui.plain(question)}")
    exported = ch.log_export(challenge_log(engine, date.today(), partner_id=p.id, publish=True))
    ui.download_csv(exported, f"{p.code} challenges", key="dl-pv-challenges")
if not mine.empty and ch.may_raise(ui.current_user()):
    with st.expander(f"Raise a challenge to {ui.plain(p.name)}"):
        pick = st.selectbox("About", mine["id"].tolist(), key="pv-measure", format_func=lambda i: fs.framework.get(i).name)
        x = fs.get(pick, f.period.label)
        evidence = Evidence(pick, f.period.label, x.value, x.numerator, x.denominator, x.unit, x.rag)
        raise_challenge_form(engine, p.code, p.name, evidence, "partner view", ui.current_user(), key="pv")
ui.disclosure_key()
