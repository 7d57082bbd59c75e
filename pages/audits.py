import pandas as pd
import streamlit as st

import ui
from assurance import views
from assurance.analysis import breakdowns as bd
from assurance.board.challenges import Evidence, may_raise
from assurance.charts import spc_chart, stacked_grades
from assurance.disclosure import figure_text, figure_value
from assurance.measures.variation import measure_spc
from ui.challenge import raise_challenge_form

f = ui.page("Audits", "Multi-agency case audits: grades overall and by domain, by theme and agency, the trend, "
            "the findings and the actions they ask for.")
if f.period is None:
    ui.no_data()
    st.stop()
publish = ui.publication_mode()
engine = ui.engine()
agency_id = f.partner.id if f.partner else None
idx = [p.label for p in f.periods].index(f.period.label)
window = f.periods[max(0, idx - 3): idx + 1]
window_ids = [p.id for p in window]
st.caption(f"Audits over the four quarters {window[0].label} to {window[-1].label}"
           + (f", agency: {ui.plain(f.partner.name)}." if f.partner else ", all agencies."))
fs = ui.figures(f.partner.code if f.partner else None)
good = fs.get("audit_good", f.period.label)
if good is None or not good.has_data:
    ui.no_data("No audits in these quarters.")
    st.stop()
st.metric("Audited cases graded good or better", figure_text(good, publish),
          help="Agency audits graded Good or Outstanding overall ÷ agency audits graded, four quarters to the period.")
if good.small:
    st.caption(f"Small number: fewer than {fs.framework.min_denominator} audits graded, so the percentage is not rated "
               "against the target; read it with care.")

window_periods = [p for p in f.periods if p.id in window_ids]
by_domain = views.audit_grades(engine, window_periods, agency_id, "domain")
domains, grades = by_domain.frame, list(by_domain.count_columns)
worst = domains.assign(share=(domains["Good"] + domains["Outstanding"]) /
                       domains[grades[:4]].sum(axis=1).where(lambda s: s > 0)).sort_values("share").iloc[0]
drawn = by_domain.shown(publish)
heights = {g: pd.to_numeric(drawn[g], errors="coerce").fillna(0).tolist() for g in grades}
if any(sum(v) for v in heights.values()):
    ui.view_chart(stacked_grades(drawn["Domain"].tolist(), heights, "Grades by domain"), by_domain,
                  "Suppressed cells ([c]) are not drawn." if publish else
                  f"The domain with the smallest share graded good or better is {worst['Domain']}.", key="au-domain")
else:
    st.caption("Too few audits to draw the grades without revealing small numbers: see the table.")
ui.view(by_domain, key="au-domain-t")

st.markdown("**By theme**")  # each table full width, so every grade column is in view on a laptop
ui.view(views.audit_grades(engine, window_periods, agency_id, "theme"), key="au-theme")
st.markdown("**By agency**")
ui.view(views.audit_grades(engine, window_periods, agency_id, "agency"), key="au-agency")

# The trend is of each quarter's own audits: the four-quarter figures overlap, so limits on them would be too narrow.
quarters = [x for x in fs.quarter_series("audit_good", f.period.label) if x.has_data]
spc = measure_spc(quarters, fs.framework.get("audit_good"), fs.recalculations.get("audit_good", []), publish)
if spc.values:
    st.subheader("Trend")
    ui.chart(spc_chart(spc.periods, spc.values, "Good or better, each quarter's audits", "%", spc.result,
                       fs.framework.get("audit_good").target, spc.breaks),
             pd.DataFrame({"Period": [x.period for x in quarters], "Audits graded": [x.denominator for x in quarters],
                           "Good or better %": [figure_value(x, True) for x in quarters]}),
             "audit good trend", spc.describe(), key="au-trend", count_columns=["Audits graded"])

st.subheader("Findings and actions")
search = st.text_input("Search the findings and actions", key="au-search", placeholder="e.g. capacity, escalation")
findings = bd.audit_findings(engine, window_ids, search, agency_id)
actions = findings[findings["Action required"].fillna("") != ""]
if publish:  # no case-level list in publication mode: counted row by row it would rebuild the grade tables
    st.caption("Publication mode: the findings are summarised by theme and agency rather than listed case by case.")
    ui.view(views.audit_findings(engine, window_periods, agency_id, search), key="au-findings")
    st.markdown("**Actions required** are tracked on the SAR and audit actions page.")
else:
    st.caption(f"{len(findings)} audit findings" + (f" mentioning '{ui.plain(search)}'" if search else "") + ".")
    st.caption("The weakest grades first. Click a row to read its finding and action in full below the table.")
    listed = views.findings_table(findings)
    picked = ui.grid(listed.frame, height=min(36 * (len(findings) + 1) + 3, 440), on_select="rerun",
                     selection_mode="single-row", key="au-findings-table", column_config={
        **{c: st.column_config.TextColumn(width=listed.widths[c]) for c in views.FINDINGS_ON_SCREEN},
        "Action": st.column_config.TextColumn(width=listed.widths["Action"], help="An action is required"),
        **{c: {"hidden": True} for c in listed.frame.columns if c not in views.FINDINGS_ON_SCREEN}})
    if len(listed.frame):
        chosen = picked.selection.rows[0] if picked and picked.selection.rows else 0
        with st.container(border=True):
            for label, text in listed.detail(chosen):
                st.markdown(f"**{label}:** {ui.plain(text)}")
    case_grades = [c for c in findings.columns if "grade" in c.lower()]
    ui.download_csv(findings.drop(columns=case_grades), "audit findings", key="au-findings")
    st.markdown(f"**Actions required: {len(actions)}** (tracked on the SAR and audit actions page).")

if f.partner is not None and not findings.empty and may_raise(ui.current_user()):
    with st.expander(f"Challenge {ui.plain(f.partner.name)} on an audit finding"):
        pick = st.selectbox("Finding", findings.index.tolist(), key="au-pick",
                            format_func=lambda i: " · ".join([str(findings.at[i, "Audit"])]
                                                              + ([] if publish else [str(findings.at[i, "Overall grade"])])
                                                              + [str(findings.at[i, "Findings"])[:70]]))
        row = findings.loc[pick]
        raise_challenge_form(engine, f.partner.code, f.partner.name,
                             Evidence(measure="audit_good", period=row["Period"], note=f"{row['Audit']}: {row['Findings']}"),
                             "audit finding", ui.current_user(), key="audit")
ui.disclosure_key()
