import streamlit as st

import ui
from assurance.returns.history import submissions_frame

f = ui.page("Submissions")
if f.period is None:
    ui.no_data("No returns have been loaded yet.")
    st.stop()
st.caption(f"Every upload for {f.period.label}, newest first. Returns were due by {f.period.due:%d %B %Y}.")
df = submissions_frame(ui.engine(), f.period.id, f.partner.id if f.partner else None)
if df.empty:
    ui.no_data("No submissions for this period and partner.")
else:
    st.dataframe(df, hide_index=True, width="stretch")
    ui.download_csv(df, f"submissions {f.period.label}")
