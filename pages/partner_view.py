import streamlit as st

import ui
from assurance.config import RETURN_TYPES
from assurance.returns.history import submissions_frame

f = ui.page("Partner view")
if f.partner is None:
    ui.no_data("Choose a partner in the sidebar to see their whole picture.")
    st.stop()
p = f.partner
st.subheader(p.name)
st.markdown(f"**Type:** {p.type} · **Code:** {p.code} · **Returns made:** {', '.join(RETURN_TYPES[r] for r in p.returns) or 'none'}")
df = submissions_frame(ui.engine(), partner_id=p.id)
st.markdown("#### Their submissions")
if df.empty:
    ui.no_data(f"{p.name} has not submitted any returns yet.")
else:
    st.dataframe(df, hide_index=True, width="stretch")
    ui.download_csv(df, f"submissions {p.code}")
