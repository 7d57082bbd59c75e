import pandas as pd
import streamlit as st

import ui
from assurance import administration as adm
from assurance import config
from assurance.access.roles import AccessDenied
from assurance.config import RETURN_TYPES
from assurance.reference.codelists import codelist

ui.page("Partners", "The Board's partners, their type and the returns each makes. Changes are written to the Board "
        "configuration and recorded in the audit trail.")
board = config.board()
NEW = "(a new partner)"
partners = pd.DataFrame([{"Code": p.code, "Name": p.name, "Type": p.type,
                          "Returns": ", ".join(RETURN_TYPES[r] for r in p.returns), "Active": p.active}
                         for p in board.partners])
ui.grid(partners)
ui.download_csv(partners, "partners")
st.caption(f"Read from `{config.board_config_path().name}`. An inactive partner keeps its history but makes no more "
           "returns and is hidden from the filters.")

st.markdown("#### Add or change a partner")
codes = [NEW, *partners["Code"]]
pick = st.selectbox("Partner", codes, key="adm-partner")
current = board.partner(pick) if pick != NEW else None
types = codelist("partner_type").values
with st.form("partner-form"):
    c1, c2 = st.columns([1, 3])
    code = c1.text_input("Code", value=current.code if current else "", disabled=current is not None,
                         help="Short and stable, e.g. POL: it appears in file names and stored data.")
    name = c2.text_input("Name", value=current.name if current else "")
    type_ = c1.selectbox("Type", types, index=types.index(current.type) if current else 0)
    returns = c2.multiselect("Returns it makes", list(RETURN_TYPES), default=list(current.returns) if current else [],
                             format_func=RETURN_TYPES.get)
    active = st.toggle("Active", value=current.active if current else True)
    if st.form_submit_button("Save partner", type="primary"):
        try:
            outcome = adm.save_partner(ui.engine(), ui.current_user(), current.code if current else code, name, type_,
                                       returns, active, address=ui.auth.client_address())
            st.cache_data.clear()
            st.success({"added": "Partner added.", "changed": "Partner saved.",
                        "unchanged": "Nothing to change."}[outcome])
        except (adm.AdminError, AccessDenied) as exc:
            st.error(ui.message(exc))
