"""The 'raise a challenge' form, offered beside a measure, on the partner view and beside audit findings."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from assurance.access.roles import AccessDenied
from assurance.board.challenges import ChallengeError, Evidence, may_raise, raise_challenge


def raise_challenge_form(engine, partner_code: str, partner_name: str, evidence: Evidence, source: str, by, key: str) -> int | None:
    """Draw the form for a user who may raise challenges (`by`, the signed-in user); returns the new challenge's
    number once raised. raise_challenge checks the permission and writes the audit record."""
    import ui

    if not may_raise(by):
        return None
    with st.form(key=f"challenge-{key}", clear_on_submit=True):
        st.markdown(f"**Challenge {ui.plain(partner_name)}**")
        described = evidence.describe(ui.publication_mode())
        if described:
            st.caption(f"Evidence captured with the challenge: {ui.plain(described)}")
        question = st.text_area("Question for the partner", key=f"q-{key}", placeholder="What is the partner doing about ...?")
        c1, c2 = st.columns(2)
        meeting = c1.date_input("Meeting date", value=date.today(), key=f"m-{key}", format="DD/MM/YYYY")
        due = c2.date_input("Response due", value=date.today() + timedelta(days=28), key=f"d-{key}", format="DD/MM/YYYY")
        if st.form_submit_button("Raise challenge", type="primary"):
            try:
                number = raise_challenge(
                    engine, partner_code=partner_code, question=question, by=by, evidence=evidence,
                    source=source, meeting_date=meeting, due_date=due, address=ui.auth.client_address(),
                )
            except (ChallengeError, AccessDenied) as exc:
                st.error(ui.message(exc))
                return None
            st.success(f"Challenge {number} raised with {ui.plain(partner_name)}. It is in the challenge log.")
            return number
    return None
