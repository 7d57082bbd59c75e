import pandas as pd
import streamlit as st

import ui
from assurance import config, views
from assurance.charts import bar_chart, spc_chart
from assurance.disclosure import figure_text, figure_value
from assurance.measures import conventions
from assurance.numbers import fmt
from assurance.measures.variation import measure_spc
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
rate_ci = conventions.rate_interval_note(fs.get("concern_rate", f.period.label), publish, method=False)
st.caption(f"{conventions.CONVERSION_NOTE} England is about 30%, and local practice ranges from about 10% to over 60%. "
           f"{conventions.RATE_NOTE}" + (f" Concerns per 100,000 adults: {rate_ci}." if rate_ci else ""))
for note in (conventions.window_note(fs.get(mid, f.period.label)) for mid in ("concerns", "concern_rate", "conversion")):
    if note:
        st.caption(note)
if "repeat_concerns" in fs.framework.ids and (repeat := conventions.figure_notes(
        fs, "repeat_concerns", f.period.label, publish, config.board().weekend_receipt)):
    st.caption(" ".join(repeat))

st.subheader("Concerns by quarter")
upto = fs.periods[: fs.periods.index(f.period.label) + 1]
trend = pd.DataFrame([{"Period": p, "Concerns": fs.get("concerns", p).numerator,
                       "Per 100,000 adults": figure_value(fs.get("concern_rate", p), True),
                       "Conversion %": figure_value(fs.get("conversion", p), True)}
                      for p in upto if fs.get("concerns", p) is not None and fs.get("concerns", p).has_data])
quarters = fs.quarter_series("concerns", f.period.label)
spc = measure_spc(quarters, fs.framework.get("concerns"), fs.recalculations.get("concerns", []), publish)
ui.chart(spc_chart(spc.periods, spc.values, "Concerns received", "count", spc.result, None, spc.breaks), trend,
         "concerns by quarter", spc.describe(), key="c-trend",
         count_columns=["Concerns"], totals=False)

left, right = st.columns(2)
with left:
    st.subheader("Referral sources")
    v = views.referral_sources(engine, f.period, partner_id)
    ref = v.frame
    top = ref.iloc[0] if not ref.empty else None
    drawn = ui.plotted(v.shown(publish), "Concerns")
    ui.view_chart(bar_chart(drawn["Referral source"].tolist(), drawn["Concerns"].tolist(), "Concerns by referral source",
                            "concerns"), v,
                  (f"{top['Referral source']} raised the most concerns ({fmt(top['%'])}%)." if top is not None and not publish
                   else "") + (" Sources with fewer than 5 concerns are not drawn." if publish and len(drawn) < len(ref) else ""),
                  key="c-ref")
with right:
    st.subheader("Risk assessment outcomes")
    v = views.risk_assessment_outcomes(engine, f.period, partner_id)
    ui.view(v, key="c-rao")
    n = int(v.frame["Enquiries"].sum())
    st.caption(f"{n:,} Section 42 enquiries concluded in {f.period.label}." if not publish else
               "Section 42 enquiries concluded in the quarter.")

st.subheader("Types, locations and sources of risk")
st.caption("Concluded Section 42 enquiries, one count per different category, so an enquiry can count under more "
           f"than one. England comparators: {england.source()}.")
for dim, key in views.RISK_DIMENSIONS:
    eng = england.shares(key)
    v = views.risk_categories(engine, f.period, partner_id, dim, eng)
    data, label = v.frame, v.frame.columns[0]
    top = data.iloc[0] if not data.empty else None
    summary = (f"Most common: {top[label]}" + (f" ({fmt(top['% of enquiries'])}% of enquiries" if not publish else " (")
               + (f"; England {eng[top[label]]:g}%" if top[label] in eng else "") + ")." if top is not None else "None.")
    drawn = ui.plotted(v.shown(publish), "% of enquiries")
    ui.view_chart(bar_chart(drawn[label].tolist(), drawn["% of enquiries"].tolist(), label, "% of enquiries",
                            {k: val for k, val in eng.items() if k in set(drawn[label])}), v, summary, key=f"c-{dim}")

st.subheader("Timeliness")
t1, t2 = st.columns(2)
for col, mid in ((t1, "decision_timeliness"), (t2, "enquiry_timeliness")):
    x = fs.get(mid, f.period.label)
    col.metric(fs.framework.get(mid).name, figure_text(x, publish))
    col.caption(f"RAG: {x.rag.capitalize()}" if x.rag else ("small number" if x.small else "not rated"))
st.caption(conventions.decision_note(config.board().weekend_receipt))
ui.disclosure_key()
