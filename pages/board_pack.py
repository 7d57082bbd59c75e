from datetime import date

import streamlit as st

import ui
from assurance.board.pack import build_pack
from assurance.board.render import render

f = ui.page("Board pack", "The quarterly pack for the Board meeting: worked out from the figures, with charts, exceptions, "
            "challenges, actions and the quality of the returns.")
if f.period is None:
    ui.no_data("No returns have been loaded yet.")
    st.stop()
FORMATS = {"PDF document": "pdf", "PowerPoint slides": "pptx", "Excel tables": "xlsx"}
choice = st.radio("Format", list(FORMATS), horizontal=True, key="pack-format")
st.caption("The pack leaves the product, so it is always in publication mode: counts of 1 to 4 show as [c], other "
           "counts are rounded to the nearest 5 and percentages of fewer than 10 cases are withheld. The pack says so.")
if st.button(f"Build the {f.period.label} pack", type="primary", key="pack-build"):
    bar = st.progress(0.0, text="Starting")
    pack = build_pack(ui.engine(), f.period.label, date.today(), publish=True,
                      progress=lambda x, msg: bar.progress(min(x, 1.0), text=msg))
    fmt = FORMATS[choice]
    st.session_state["pack"] = (f.period.label, fmt, render(pack, fmt, lambda x, msg: bar.progress(min(x, 1.0), text=msg)))
    bar.progress(1.0, text="Ready")
    st.session_state["pack-summary"] = next(s for s in pack.sections if s.title == "Executive summary")
built = st.session_state.get("pack")
if built and built[0] == f.period.label:
    label, fmt, content = built
    mime = {"pdf": "application/pdf", "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    st.download_button(f"Download the pack ({fmt.upper()}, {len(content) / 1024:,.0f} KB)", content,
                       file_name=f"Board pack {label}.{fmt}", mime=mime, key="pack-download",
                       on_click=ui.record_export, args=(f"Board pack {label}.{fmt}",))
    summary = st.session_state.get("pack-summary")
    if summary:
        st.markdown("#### Executive summary")
        for p in summary.paragraphs:
            st.text(p)
        for b in summary.bullets:
            st.text(f"• {b}")
