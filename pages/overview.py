import streamlit as st

import ui
from assurance.headlines import period_headlines

f = ui.page("Overview")
if f.period is None:
    ui.no_data("No returns have been loaded yet. Upload a return or build the demo.")
    st.stop()
who = f.partner.name if f.partner else "the whole Board"
st.caption(f"{f.period.label} ({f.period.start:%d %b %Y} to {f.period.end:%d %b %Y}) · {who}")
h = period_headlines(ui.engine(), f.period.id, f.partner.id if f.partner else None)
cols = st.columns(4)
cols[0].metric("Concerns received", f"{h.concerns:,}")
cols[1].metric(
    "Conversion to enquiry", "–" if h.conversion is None else f"{h.conversion:.1f}%",
    help="(Section 42 + other enquiries) / concerns received. Information only: England is about 30%.",
)
cols[2].metric("Section 42 enquiries concluded", f"{h.s42_concluded:,}")
cols[3].metric("Other enquiries concluded", f"{h.other_concluded:,}")
if h.concerns:
    st.caption(
        f"{h.s42_from_concerns + h.other_from_concerns:,} of {h.concerns:,} concerns received led to an enquiry "
        f"({h.s42_from_concerns:,} Section 42, {h.other_from_concerns:,} other)."
    )
