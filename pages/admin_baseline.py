import streamlit as st

import ui
from assurance import administration as adm
from assurance import config
from assurance.admin_tables import baseline_by_age, baseline_by_ethnicity, baseline_ethnicity_by_age
from assurance.access.roles import AccessDenied
from assurance.reference import ethnicity_by_age, population

ui.page("Population baseline", "The adult population that rates per 100,000 and representation ratios are measured "
        "against, and publication mode. Changes are recorded in the audit trail.")
board = config.board()
area = board.population_area
st.markdown(f"**In use:** {ui.plain(area)}  \n{ui.plain(board.population_note)}")
ages = population.adults_by_age_band(area)
st.markdown(f"Adults (18+): **{population.adults(area):,}** · {population.AGE_SOURCE}")
ui.grid(baseline_by_age(ages), width="content")
eth = population.population_by_broad_ethnicity(area)
st.markdown(f"{population.ETHNICITY_SOURCE}. {population.ETHNICITY_CAVEAT}")
ui.grid(baseline_by_ethnicity(eth), width="content")

st.markdown("#### Change the baseline")
areas = population.areas()
with st.form("baseline"):
    new_area = st.selectbox("Area", areas, index=areas.index(area) if area in areas else 0)
    note = st.text_input("Note shown with it", value=board.population_note)
    if st.form_submit_button("Save baseline", type="primary"):
        try:
            changed = adm.set_population_baseline(ui.engine(), ui.current_user(), new_area, note,
                                                  address=ui.auth.client_address())
            st.cache_data.clear()
            st.success(f"Baseline: {ui.plain(new_area)}." if changed else "Nothing to change.")
        except (adm.AdminError, AccessDenied) as exc:
            st.error(ui.message(exc))
st.caption("Baselines come from the files in data/population/ (ONS mid-year adults by age band; Census 2021 ethnic "
           "group). To add your area, add its rows to those files.")

st.markdown("#### Ethnic group by age")
st.markdown("Residents by ethnic group and age band, so the Demographics page can say whether a difference between "
            "groups survives allowing for age. Download Census 2021 table **RM032** (ethnic group by sex by age) for "
            "your area from ons.gov.uk/datasets/RM032 as CSV, with single years of age (Age, 101 categories); see "
            "the README.")
by_age = ethnicity_by_age.load(area)
if by_age is None:
    st.info(f"No ethnic group by age baseline for {ui.plain(area)} yet.", icon=":material/info:")
else:
    (st.warning if by_age.synthetic else st.markdown)(f"**In use:** {ui.plain(by_age.source)}")
    adults = by_age.adults(detailed=False)
    ui.grid(baseline_ethnicity_by_age(adults), width="content")
upload = st.file_uploader("Census 2021 RM032 for the area (CSV)", type=["csv"], key="eba-file")
if st.button(f"Load for {area}", disabled=upload is None, key="eba-load"):
    try:
        loaded = adm.load_ethnicity_by_age(ui.engine(), ui.current_user(), upload.getvalue(), area, upload.name,
                                           address=ui.auth.client_address())
        st.cache_data.clear()
        st.success(f"Loaded {ui.plain(upload.name)} for {ui.plain(area)}: "
                   f"{sum(n for (_, b), n in loaded.residents.items() if b != '0-17'):,} adults in "
                   f"{len({g for g, _ in loaded.residents})} ethnic groups.")
    except (adm.AdminError, AccessDenied) as exc:
        st.error(ui.message(exc))

st.markdown("#### Publication mode")
with st.form("publication"):
    on = st.toggle("Suppress small numbers for everyone", value=board.publication_mode,
                   help="Counts of 1 to 4 show as [c], others round to the nearest 5. Roles outside the QA subgroup, "
                        "downloads and board packs are always in publication mode.")
    if st.form_submit_button("Save"):
        try:
            changed = adm.set_publication_mode(ui.engine(), ui.current_user(), on, address=ui.auth.client_address())
            st.success(f"Publication mode is {'on' if on else 'off'}." if changed else "Nothing to change.")
        except (adm.AdminError, AccessDenied) as exc:
            st.error(ui.message(exc))
