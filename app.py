"""Entry point: navigation grouped by user, the shared sidebar filters and the demo banner."""

import streamlit as st

from assurance import config

st.set_page_config(page_title="Safeguarding Adults Board assurance", page_icon=":material/shield_person:", layout="wide")

PAGES = {
    "Review": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/concerns.py", title="Concerns and enquiries", icon=":material/monitoring:"),
        st.Page("pages/demographics.py", title="Demographics", icon=":material/groups:"),
        st.Page("pages/outcomes.py", title="MSP and risk outcomes", icon=":material/verified_user:"),
        st.Page("pages/audits.py", title="Audits", icon=":material/fact_check:"),
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
        st.Page("pages/admin_board.py", title="Board setup", icon=":material/settings:"),
    ],
}

navigation = st.navigation(PAGES)
st.sidebar.caption(config.board().name)
navigation.run()
