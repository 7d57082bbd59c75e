import pandas as pd
import streamlit as st

import ui
from assurance import config, disclosure, views
from assurance.analysis import breakdowns as bd
from assurance.analysis import representation as rep
from assurance.charts import bar_chart, representation_chart
from assurance.reference import england, ethnicity_by_age, population

f = ui.page("Demographics", "Who is in safeguarding, against the local adult population: age, gender and ethnicity, "
            "with representation ratios and 95% intervals.")
if f.period is None:
    ui.no_data()
    st.stop()
publish = ui.publication_mode()
area = config.board().population_area
engine, partner_id = ui.engine(), (f.partner.id if f.partner else None)
scope_label = st.radio("Adults in", ["Concerns received", "Section 42 enquiries concluded"], horizontal=True, key="dm-scope")
scope = "concerns" if scope_label == "Concerns received" else "s42"
period_ids = [f.period.id]
st.caption(f"{f.period.label}. {bd.ONCE_RULE} "
           f"Baseline: {ui.plain(area)}. Ages: {population.AGE_SOURCE}. Ethnicity: {population.ETHNICITY_SOURCE}. A ratio above 1 "
           "means a group is more often in safeguarding than in the population; it is flagged when the 95% interval "
           f"excludes 1. {rep.INTERVAL_METHOD} (the census count is taken as exact).")

ages = bd.individuals_by(engine, "age_band", period_ids, scope, partner_id)
if ages.empty:
    ui.no_data(ui.no_activity_return(f, "The adults in safeguarding"))
    st.stop()
st.subheader("Age")
rows, unknown_age = rep.by_age(ages, area)
table = rep.representation_frame(rows, "Age band", publish)
drawn = [r for r, ratio in zip(rows, table["Ratio"]) if ratio != disclosure.SUPPRESSED]
over = [r.group for r in drawn if r.finding == "over-represented"]
ui.chart(representation_chart([r.group for r in drawn], [r.ratio for r in drawn], [r.lower for r in drawn],
                              [r.upper for r in drawn], "Representation by age band"),
         rep.representation_frame(rows, "Age band", True), "representation by age", ("Over-represented: " + ", ".join(over) + "." if over else
                                          "No age band is significantly over-represented.") +
         f" Age band {bd.unrecorded('age_band')} for {disclosure.publish_count(unknown_age) if publish else unknown_age} adults.", key="dm-age")
ui.grid(table)
rate_line = views.adults_per_100k({r.group: r.count for r in rows}, area, publish)
if rate_line:
    st.markdown(rate_line)

st.subheader("Gender")
v = views.gender(engine, f.period, partner_id, scope)
female = england.shares("individuals").get("female")
drawn = ui.plotted(v.shown(publish), "%")
ui.view_chart(bar_chart(drawn["Gender"].tolist(), drawn["%"].tolist(), "Adults by gender", "% of adults"), v,
              f"There is no adult population by sex in the baseline files, so no ratio is shown; "
              f"England's adults in Section 42 enquiries are about {female:g}% female.", key="dm-gender")
ui.view(v, key="dm-gender-t")

st.subheader("Ethnicity")
st.warning(population.ETHNICITY_CAVEAT + " The table adjusted for age, below, shows whether a difference survives "
           "allowing for age.", icon=":material/info:")
detailed = st.toggle("Detailed ethnic groups", key="dm-detailed")
col = "ethnicity_detailed" if detailed else "ethnicity_broad"
eth = bd.individuals_by(engine, col, period_ids, scope, partner_id)
rows, unknown_eth = rep.by_ethnicity(eth, area, detailed)
rows = [r for r in rows if r.count or r.population]
table = rep.representation_frame(rows, "Ethnic group", publish)
drawn = [r for r, ratio in zip(rows, table["Ratio"]) if ratio != disclosure.SUPPRESSED]
over = [r.group for r in drawn if r.finding == "over-represented"]
under = [r.group for r in drawn if r.finding == "under-represented"]
ui.chart(representation_chart([r.group for r in drawn], [r.ratio for r in drawn], [r.lower for r in drawn],
                              [r.upper for r in drawn], "Representation by ethnic group"),
         rep.representation_frame(rows, "Ethnic group", True), f"representation by {col}", (f"Over-represented: {', '.join(over)}. " if over else "")
         + (f"Under-represented: {', '.join(under)}. " if under else "")
         + f"Ethnicity {bd.unrecorded('ethnicity_broad')} for {disclosure.publish_count(unknown_eth) if publish else unknown_eth} adults.",
         key="dm-eth")
ui.grid(table)

st.markdown("#### Adjusted for age")
people = rep.people_by_age_and(engine, col, period_ids, scope, partner_id)
baseline = ethnicity_by_age.load(area)
view = rep.adjusted_view(people, baseline, rows, "Ethnic group", detailed, publish)
if view.table is None:
    st.info(view.withheld or view.note, icon=":material/info:")
else:
    st.markdown("Does a difference survive age? Each group's adults against those expected from its residents in "
                "each age band and the Board's rate in that band.")
    published = rep.adjusted_view(people, baseline, rows, "Ethnic group", detailed, True)
    export = published.table if published.table is not None else pd.DataFrame({"Note": [published.withheld]})
    ui.chart(representation_chart([r.group for r in view.shown], [r.ratio for r in view.shown],
                                  [r.lower for r in view.shown], [r.upper for r in view.shown],
                                  "Representation by ethnic group, adjusted for age"),
             export, f"age-adjusted representation chart by {col}", view.summary, key="dm-adjusted-chart")
    ui.table(view.table, f"age-adjusted representation by {col}", key="dm-adjusted", export=export, column_config={
        "Ratio before adjusting": st.column_config.Column("Crude ratio", help="Ratio before adjusting for age"),
        "Expected from age": st.column_config.Column("Expected", help="Adults expected from the group's age mix"),
        "Age-adjusted ratio": st.column_config.Column("Adjusted ratio", help="Age-adjusted ratio"),
        "Finding after adjusting": st.column_config.Column("Finding (adjusted)", help="Finding after adjusting for age"),
    })
    st.markdown("\n".join(f"- {ui.plain(sentence)}" for sentence in view.sentences))
    if baseline.synthetic:
        st.warning(f"The ethnic group by age baseline is synthetic: {ui.plain(baseline.source)}.",
                   icon=":material/science:")
    st.caption(ui.plain(view.note))

st.subheader("Recording completeness by partner")
ui.view(views.recording_completeness(engine, f.period), key="dm-comp")
ui.disclosure_key()
