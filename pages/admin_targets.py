import streamlit as st

import ui
from assurance import administration as adm
from assurance.admin_tables import POLARITY, TARGET_WIDTHS, framework_targets, target_history
from assurance.access.roles import AccessDenied
from assurance.directory import list_periods
from assurance.measures.framework import framework, framework_path

ui.page("Framework targets", "Each measure's target and the tolerance within which it is amber rather than red. "
        "A change takes effect from the quarter you choose: earlier quarters keep the target they were rated "
        "against. Changes are written to the framework file and recorded in the audit trail.")
fw = framework()
frame = framework_targets(fw)
ui.grid(frame, column_config={  # sized for a laptop: strand, unit and period are in the table's column menu
    **{c: st.column_config.TextColumn(width=w) for c, w in TARGET_WIDTHS.items()}, "id": None,
    "Strand": {"hidden": True}, "Unit": {"hidden": True}, "Measured over": {"hidden": True}})
ui.download_csv(frame, "framework targets")
st.caption(f"Read from `{framework_path().name}`. Green: on or better than target. Amber: short of target by no more "
           f"than the tolerance. Red: further short. Not rated: shown for information. A percentage on fewer than "
           f"{fw.min_denominator} cases is not rated.")

st.markdown("#### Change a target")
rated = [m for m in fw.measures if m.polarity != "information"]
pick = st.selectbox("Measure", [m.id for m in rated], format_func=lambda i: fw.get(i).name, key="adm-measure")
m = fw.get(pick)
quarters = [p.label for p in list_periods(ui.engine())]
with st.form("target"):
    c1, c2, c3 = st.columns(3)
    target = c1.number_input(f"Target ({m.unit})", value=float(m.target), min_value=0.0,
                             max_value=100.0 if m.unit == "%" else None, step=1.0)
    tolerance = c2.number_input("Amber tolerance", value=float(m.tolerance), min_value=0.0, step=0.5)
    start = c3.selectbox("In force from", quarters[::-1], key="adm-from",
                         help="Earlier quarters keep the target, tolerance and RAG they were rated against.")
    st.caption(f"{POLARITY[m.polarity]}. {m.numerator}" + (f" ÷ {m.denominator}." if m.denominator else "."))
    if st.form_submit_button("Save target", type="primary"):
        try:
            changed = adm.set_target(ui.engine(), ui.current_user(), pick, target, tolerance, start,
                                     address=ui.auth.client_address())
            st.cache_data.clear()
            st.success(f"{ui.plain(m.name)}: target {target:g}, amber within {tolerance:g}, from {start}."
                       if changed else "Nothing to change.")
        except (adm.AdminError, AccessDenied) as exc:
            st.error(ui.message(exc))

st.markdown(f"**{ui.plain(m.name)}: targets in force**")
ui.grid(target_history(framework().get(pick)), width="content")
