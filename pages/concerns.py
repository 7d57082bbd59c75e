import pandas as pd
import streamlit as st

import ui
from assurance.analysis import breakdowns as bd
from assurance.charts import bar_chart, spc_chart
from assurance.measures.variation import measure_spc
from assurance.disclosure import figure_text
from assurance.reference import england

f = ui.page("Concerns and enquiries", "Volumes, rates and conversion by quarter; where concerns come from; the types, "
            "locations and sources of risk in concluded Section 42 enquiries; timeliness and repeat concerns.")
if f.period is None:
    ui.no_data()
    st.stop()
publish = ui.publication_mode()
fs = ui.figures(f.partner.code if f.partner else None)
engine, pid, partner_id = ui.engine(), f.period.id, (f.partner.id if f.partner else None)
if fs.get("concerns", f.period.label) is None or not fs.get("concerns", f.period.label).has_data:
    ui.no_data(ui.no_activity_return(f, "Concerns and enquiries"))
    st.stop()

cols = st.columns(5)
for col, mid in zip(cols, ("concerns", "concern_rate", "conversion", "decision_timeliness", "repeat_concerns")):
    fig_ = fs.get(mid, f.period.label)
    col.metric(fs.framework.get(mid).name, figure_text(fig_, publish),
               help=f"{fs.framework.get(mid).numerator}" + (f" ÷ {fs.framework.get(mid).denominator}" if fs.framework.get(mid).denominator else ""))
st.caption("Conversion is shown for context, not rated: England is about 30%, and local practice ranges from about "
           "10% to over 60%. Rates use the Board's adult population baseline.")

st.subheader("Concerns by quarter")
upto = fs.periods[: fs.periods.index(f.period.label) + 1]
trend = pd.DataFrame([{"Period": p, "Concerns": fs.get("concerns", p).numerator,
                       "Per 100,000 adults": fs.get("concern_rate", p).value, "Conversion %": fs.get("conversion", p).value}
                      for p in upto if fs.get("concerns", p) is not None and fs.get("concerns", p).has_data])
quarters = fs.quarter_series("concerns", f.period.label)
spc = measure_spc(quarters, fs.framework.get("concerns"), fs.recalculations.get("concerns", []), publish)
ui.chart(spc_chart(spc.periods, spc.values, "Concerns received", "count", spc.result, None, spc.breaks), trend,
         "concerns by quarter", spc.describe(), key="c-trend",
         count_columns=["Concerns"], totals=False)

left, right = st.columns(2)
with left:
    st.subheader("Referral sources")
    ref = bd.concerns_by(engine, "referral_source", pid, partner_id)
    total = int(ref["Concerns"].sum())
    ref["%"] = (100 * ref["Concerns"] / total).round(1) if total else 0
    top = ref.iloc[0] if not ref.empty else None
    drawn = ui.plotted(ui.shown(ref, ["Concerns"], {"%": "Concerns"}), "Concerns")
    ui.chart(bar_chart(drawn["Referral source"].tolist(), drawn["Concerns"].tolist(), "Concerns by referral source", "concerns"),
             ref, f"referral sources {f.period.label}",
             (f"{top['Referral source']} raised the most concerns ({top['%']:.1f}%)." if top is not None else "")
             + (" Sources with fewer than 5 concerns are not drawn." if publish and len(drawn) < len(ref) else ""),
             key="c-ref", count_columns=["Concerns"], percent_columns={"%": "Concerns"})
with right:
    st.subheader("Risk assessment outcomes")
    rao = bd.enquiries_by(engine, "risk_assessment_outcome", pid, partner_id)
    n = int(rao["Enquiries"].sum())
    rao["%"] = (100 * rao["Enquiries"] / n).round(1) if n else 0
    ui.table(rao, f"risk assessment outcomes {f.period.label}", ["Enquiries"], key="c-rao", percent_columns={"%": "Enquiries"})
    st.caption(f"{n:,} Section 42 enquiries concluded in {f.period.label}." if not publish else
               "Section 42 enquiries concluded in the quarter.")

st.subheader("Types, locations and sources of risk")
st.caption("Concluded Section 42 enquiries, one count per different category, so an enquiry can count under more "
           f"than one. England comparators: {england.source()}.")
n42 = bd.s42_concluded(engine, pid, partner_id)
for dim, key in (("type", "type_of_risk"), ("location", "location_of_risk"), ("source", "source_of_risk")):
    data = bd.risk_categories(engine, dim, pid, partner_id)
    label = data.columns[0]
    data["% of enquiries"] = (100 * data["Enquiries"] / n42).round(1) if n42 else 0
    eng = england.shares(key)
    data["England %"] = data[label].map(eng)
    top = data.iloc[0] if not data.empty else None
    summary = (f"Most common: {top[label]} ({top['% of enquiries']:.1f}% of enquiries"
               + (f"; England {eng[top[label]]:g}%" if top[label] in eng else "") + ")." if top is not None else "None.")
    # An enquiry counts under each of its categories, so no total gives a hidden cell away: primary suppression only.
    pct = {"% of enquiries": "Enquiries"}
    drawn = ui.plotted(ui.shown(data, ["Enquiries"], pct, totals=False), "% of enquiries")
    ui.chart(bar_chart(drawn[label].tolist(), drawn["% of enquiries"].tolist(), label, "% of enquiries",
                       {k: v for k, v in eng.items() if k in set(drawn[label])}),
             data, f"{label.lower()} {f.period.label}", summary, key=f"c-{dim}", count_columns=["Enquiries"],
             percent_columns=pct, totals=False)

st.subheader("Timeliness")
t1, t2 = st.columns(2)
for col, mid in ((t1, "decision_timeliness"), (t2, "enquiry_timeliness")):
    x = fs.get(mid, f.period.label)
    col.metric(fs.framework.get(mid).name, figure_text(x, publish))
    col.caption(f"RAG: {x.rag.capitalize()}" if x.rag else ("small number" if x.small else "not rated"))
st.caption("Working days exclude weekends and England bank holidays.")
ui.disclosure_key()
