from datetime import date

import pandas as pd
import streamlit as st

import ui
from assurance import config
from assurance.board.issued import IssuedPackError, issue_pack, issued_pack_file, issued_packs
from assurance.board.pack import build_pack
from assurance.board.render import render
from assurance.disclosure import publish_for

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
    publish = publish_for(ui.current_user(), config.board().publication_mode, "pack")  # a pack always is
    pack = build_pack(ui.engine(), f.period.label, date.today(), publish=publish,
                      progress=lambda x, msg: bar.progress(min(x, 1.0), text=msg))
    fmt = FORMATS[choice]
    st.session_state["pack"] = (f.period.label, fmt, render(pack, fmt, lambda x, msg: bar.progress(min(x, 1.0), text=msg)))
    bar.progress(1.0, text="Ready")
    st.session_state["pack-summary"] = next(s for s in pack.sections if s.title == "Executive summary")
    st.session_state["pack-built"] = pack
built = st.session_state.get("pack")
if built and built[0] == f.period.label:
    label, fmt, content = built
    mime = {"pdf": "application/pdf", "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    st.download_button(f"Download the pack ({fmt.upper()}, {len(content) / 1024:,.0f} KB)", content,
                       file_name=f"Board pack {label}.{fmt}", mime=mime, key="pack-download",
                       on_click=ui.record_export, args=(f"Board pack {label}.{fmt}",))
    if ui.allowed("issue_packs") and st.button("Issue this pack to the Board", key="pack-issue",
                                               help="Keeps this file as issued: it can be downloaded again unchanged, "
                                                    "whatever changes afterwards."):
        kept = issue_pack(ui.engine(), ui.current_user(), st.session_state["pack-built"], fmt, content,
                          address=ui.auth.client_address())
        st.success(f"Issued: {ui.plain(kept.file_name)} (SHA-256 {kept.sha256[:12]}…).")
    summary = st.session_state.get("pack-summary")
    if summary:
        st.markdown("#### Executive summary")
        for p in summary.paragraphs:
            st.text(p)
        for b in summary.bullets:
            st.text(f"• {b}")

st.divider()
st.markdown("#### Issued packs")
issued = issued_packs(ui.engine())
if not issued:
    st.caption("No pack has been issued yet. An issued pack is kept exactly as it was issued.")
else:
    st.dataframe(pd.DataFrame([{"Period": i.period_label, "Issued by": i.issued_by, "When": i.issued_at,
                                "Publication mode": "on" if i.publication_mode else "off", "File": i.file_name,
                                "SHA-256": i.sha256} for i in issued]), hide_index=True, width="stretch")
    pick = st.selectbox("Download an issued pack", issued, key="pack-issued",
                        format_func=lambda i: f"{i.file_name}, issued by {i.issued_by} at {i.issued_at:%d %B %Y %H:%M}")
    try:
        name, mime, kept = issued_pack_file(ui.engine(), pick.id)
        st.download_button(f"Download {name} as issued", kept, file_name=name, mime=mime, key="pack-issued-download",
                           on_click=ui.record_export, args=(name,))
    except IssuedPackError as exc:
        st.error(ui.message(exc))
