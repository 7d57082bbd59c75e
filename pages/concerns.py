import pandas as pd
import streamlit as st

import ui
from ui.tiles import headline_tiles
from assurance import config, views
from assurance.charts import bar_chart, spc_chart
from assurance.disclosure import figure_value
from assurance.measures import conventions
from assurance.numbers import fmt
from assurance.measures.compute import headlines
from assurance.measures.framework import column_name, concerns_page_measures
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
measures = concerns_page_measures(fs.framework)
tiles = headlines(fs, measures, f.period.label, publish)
if not any(fs.get(m.id, f.period.label).has_data for m in measures if fs.get(m.id, f.period.label) is not None):
    ui.no_data(ui.no_activity_return(f, "Concerns and enquiries"))
    st.stop()

headline_tiles(tiles)
notes = [n for m in measures for n in conventions.figure_notes(fs, m.id, f.period.label, publish,
                                                               config.board().weekend_receipt, method=False)]
if any(m.unit == "per 100,000" for m in measures):
    notes.append(conventions.RATE_NOTE)
st.caption(" ".join(dict.fromkeys(notes)))

volume = next((m for m in measures if m.unit == "count"), None)
if volume is not None:
    st.subheader(f"{volume.name} by quarter")
    upto = fs.periods[: fs.periods.index(f.period.label) + 1]
    trend = pd.DataFrame([{"Period": p, **{column_name(m): x.numerator if m.unit == "count" else figure_value(x, True)
                                           for m in measures if (x := fs.get(m.id, p)) is not None}}
                          for p in upto if (x := fs.get(volume.id, p)) is not None and x.has_data])
    quarters = fs.quarter_series(volume.id, f.period.label)
    spc = measure_spc(quarters, volume, fs.recalculations.get(volume.id, []), publish)
    ui.chart(spc_chart(spc.periods, spc.values, volume.name, "count", spc.result, None, spc.breaks), trend,
             f"{volume.id} by quarter", spc.describe(), key="c-trend",
             count_columns=[column_name(m) for m in measures if m.unit == "count"], totals=False)

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

ui.disclosure_key()
