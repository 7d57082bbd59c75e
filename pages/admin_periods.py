import pandas as pd
import streamlit as st

import ui
from assurance import config
from assurance.directory import list_periods

ui.page("Periods and due dates", "Reporting periods are UK financial-year quarters. Each quarter's returns are due by "
        "its due date; the submissions tracker marks returns late or missing against it.")
engine = ui.engine()
periods = list(reversed(list_periods(engine)))
if not periods:
    ui.no_data("No reporting periods yet: run `python -m assurance init-db`.")
    st.stop()
board = config.board()
frame = pd.DataFrame([{"Period": p.label, "Starts": p.start, "Ends": p.end, "Returns due": p.due} for p in periods])
ui.grid(frame, column_config={
    c: st.column_config.DateColumn(format="DD/MM/YYYY") for c in ("Starts", "Ends", "Returns due")})
ui.download_csv(frame, "reporting periods")
st.caption(f"Periods run from {board.first_period} (set in the Board configuration) to the last complete quarter; a new "
           f"quarter's returns are due {board.return_due_days} days after it ends unless changed here.")

st.markdown("#### Change a due date")
label = st.selectbox("Quarter", [p.label for p in periods], key="adm-period")
period = next(p for p in periods if p.label == label)
ui.due_date_form(period, key="due-date")
