"""Entry point: navigation grouped by user, the shared sidebar filters and the demo banner."""

import streamlit as st

import ui
from assurance import config

st.set_page_config(page_title="Safeguarding Adults Board assurance", page_icon=":material/shield_person:", layout="wide")

PAGES = {
    "Review": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/concerns.py", title="Concerns and enquiries", icon=":material/monitoring:"),
        st.Page("pages/demographics.py", title="Demographics", icon=":material/groups:"),
        st.Page("pages/outcomes.py", title="MSP and risk outcomes", icon=":material/verified_user:"),
        st.Page("pages/audits.py", title="Audits", icon=":material/fact_check:"),
        st.Page("pages/downloads.py", title="Downloads", icon=":material/download:"),
    ],
    "Board": [
        st.Page("pages/partner_view.py", title="Partner view", icon=":material/handshake:"),
        st.Page("pages/challenges.py", title="Challenge log", icon=":material/gavel:"),
        st.Page("pages/actions.py", title="SAR and audit actions", icon=":material/checklist:"),
        st.Page("pages/board_pack.py", title="Board pack", icon=":material/picture_as_pdf:"),
    ],
    "Returns": [
        st.Page("pages/upload.py", title="Upload a return", icon=":material/upload_file:"),
        st.Page("pages/submissions.py", title="Submissions", icon=":material/inbox:"),
    ],
    "Admin": [
        st.Page("pages/admin_partners.py", title="Partners", icon=":material/domain:"),
        st.Page("pages/admin_periods.py", title="Periods and due dates", icon=":material/event:"),
        st.Page("pages/admin_targets.py", title="Framework targets", icon=":material/target:"),
        st.Page("pages/admin_baseline.py", title="Population baseline", icon=":material/diversity_3:"),
        st.Page("pages/admin_users.py", title="Users", icon=":material/group:"),
        st.Page("pages/admin_audit.py", title="Audit trail", icon=":material/policy:"),
    ],
}

# Only the pages the signed-in user's role may use (each page checks again); before sign-in every URL draws the form.
user = ui.auth.resolve_user(ui.database_ready())  # once per run; pages reuse it
navigation = st.navigation(ui.auth.pages_for(PAGES, user), position="sidebar" if user else "hidden", expanded=True)
st.sidebar.caption(ui.plain(config.board().name))
navigation.run()
