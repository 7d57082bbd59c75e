import streamlit as st

import ui
from assurance import config
from assurance.views import bundle_for, bundle_zip

f = ui.page("Downloads", "Every table the review pages show for a quarter, one CSV file each, in one zip: for the "
            "annual report and your own analysis.")
if f.period is None:
    ui.no_data()
    st.stop()
st.caption(f"{f.period.label} · " + (ui.plain(f.partner.name) if f.partner else "the whole Board, and each partner's "
           "scorecard") + ". Files leave the product in publication mode: counts of people of 1 to 4 show as [c] "
           "and other counts are rounded to the nearest 5.")
if st.button("Prepare the tables", key="dl-bundle-prepare", icon=":material/folder_zip:"):
    with st.spinner("Building every table for the quarter..."):
        tables = bundle_for(ui.engine(), f.period.label, ui.current_user(), "download", f.partner)
        st.session_state["dl-bundle-ready"] = (f.period.label, f.partner.code if f.partner else None, bundle_zip(tables),
                                         sorted(tables))
ready = st.session_state.get("dl-bundle-ready")
if ready and ready[:2] == (f.period.label, f.partner.code if f.partner else None):
    label, code, content, names = ready
    name = f"{config.board().name} tables {label}{' ' + code if code else ''}.zip"
    st.download_button("Download the tables (zip)", content, file_name=name, mime="application/zip",
                       key="dl-bundle", on_click=ui.record_export, args=(name, len(names)))
    st.markdown("\n".join(f"- `{n}`" for n in names))
ui.disclosure_key()
