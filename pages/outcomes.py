import pandas as pd
import streamlit as st

import ui
from ui.tiles import headline_tiles
from assurance import views
from assurance.analysis import breakdowns as bd
from assurance.charts import plotly_figure, spc_chart
from assurance.disclosure import figure_value
from assurance.measures.compute import headlines
from assurance.measures.framework import column_name, outcomes_page_measures
from assurance.measures.variation import measure_spc

f = ui.page("MSP and risk outcomes", "Making Safeguarding Personal, risk outcomes, mental capacity and whether adults "
            "felt safer, in concluded Section 42 enquiries; and whether outcomes are equitable.")
if f.period is None:
    ui.no_data()
    st.stop()
publish = ui.publication_mode()
fs = ui.figures(f.partner.code if f.partner else None)
engine, pid, partner_id = ui.engine(), f.period.id, (f.partner.id if f.partner else None)
measures = outcomes_page_measures(fs.framework)
if not any((x := fs.get(m.id, f.period.label)) is not None and x.has_data for m in measures):
    ui.no_data(ui.no_activity_return(f, "Making Safeguarding Personal and risk outcomes"))
    st.stop()

headline_tiles(headlines(fs, measures, f.period.label, publish))

st.subheader("Trends")
pick = st.selectbox("Measure", [m.id for m in measures], format_func=lambda i: fs.framework.get(i).name, key="oc-trend")
series = [x for x in fs.quarter_series(pick, f.period.label) if x.has_data]
m = fs.framework.get(pick)
spc = measure_spc(series, m, fs.recalculations.get(pick, []), publish)
if spc.values:
    ui.chart(spc_chart(spc.periods, spc.values, m.name, m.unit, spc.result, m.target, spc.breaks),
             pd.DataFrame({"Period": [x.period for x in series], column_name(m): [figure_value(x, True) for x in series]}),
             f"{pick} trend", spc.describe(), key="oc-spc")

left, right = st.columns(2)
for holder, column in zip((left, left, right, right, left, right), views.OUTCOME_BREAKDOWNS):
    with holder:
        v = views.outcome_breakdown(engine, f.period, partner_id, column)
        st.markdown(f"**{v.frame.columns[0]}**")
        st.caption(f"% of {bd.percent_of(column)}.")
        ui.view(v, key=f"oc-{column}")

st.caption(bd.NOT_APPLICABLE_NOTE)

st.subheader("Are outcomes equitable?")
st.caption("The same outcomes for each group of adults, over the four quarters to the period (more adults, steadier "
           "percentages). Percentages of fewer "
           "than 10 cases are withheld in publication mode; compare groups with care where numbers are small.")
group = st.radio("By", ["age_band", "gender", "ethnicity_broad"], horizontal=True, key="oc-group",
                 format_func=lambda c: bd.DEMOGRAPHICS[c])
window_ids = [p.id for p in f.periods if p.label in fs.periods[max(0, fs.periods.index(f.period.label) - 3): fs.periods.index(f.period.label) + 1]]
v = views.outcomes_by_group(engine, [p for p in f.periods if p.id in window_ids], partner_id, group)
ui.view(v, key="oc-eq")
bars, summary = views.outcomes_by_group_chart(engine, [p for p in f.periods if p.id in window_ids], partner_id, group,
                                              publish, fs.framework.min_denominator)
if bars is not None:
    ui.view_chart(plotly_figure(bars), v, summary, key="oc-eq-chart")
ui.disclosure_key()
