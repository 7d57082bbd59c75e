import pandas as pd
import streamlit as st

import ui
from assurance import config
from assurance.directory import list_periods
from assurance.reference import population

ui.page("Board setup")
board = config.board()
st.caption(f"Read from `{config.board_config_path().name}` in the data folder; edit that file to change the Board.")
st.markdown(f"**Board:** {board.name}  \n**Area:** {board.area}  \n**Publication mode:** {'on' if board.publication_mode else 'off'}")

st.markdown("#### Partners")
partners = pd.DataFrame(
    [{"Code": p.code, "Name": p.name, "Type": p.type, "Returns": ", ".join(p.returns)} for p in board.partners]
)
st.dataframe(partners, hide_index=True, width="stretch")

st.markdown("#### Reporting periods")
periods = pd.DataFrame(
    [{"Period": p.label, "Starts": p.start, "Ends": p.end, "Returns due": p.due} for p in reversed(list_periods(ui.engine()))]
)
st.dataframe(periods, hide_index=True, width="stretch")

st.markdown(f"#### Population baseline: {board.population_area}")
st.caption(board.population_note)
ages = population.adults_by_age_band(board.population_area)
st.markdown(f"Adults (18+): **{population.adults(board.population_area):,}** · {population.AGE_SOURCE}")
st.dataframe(pd.DataFrame({"Age band": list(ages), "Adults": list(ages.values())}), hide_index=True)
eth = population.population_by_broad_ethnicity(board.population_area)
st.markdown(f"{population.ETHNICITY_SOURCE}. {population.ETHNICITY_CAVEAT}")
st.dataframe(pd.DataFrame({"Ethnic group (broad)": list(eth), "Residents": list(eth.values())}), hide_index=True)
