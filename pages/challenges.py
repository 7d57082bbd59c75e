from datetime import date

import pandas as pd
import streamlit as st

import ui
from assurance.access import audit
from assurance.board import challenges as ch
from assurance.measures.framework import framework
from ui.challenge import raise_challenge_form

f = ui.page("Challenge log", "The Board's questions to partners, their responses and the outcome, with every change kept.")
engine = ui.engine()
actor = ui.current_user_name()
today = date.today()

c1, c2, c3 = st.columns([1, 1, 1])
status = c1.selectbox("Status", ["All", *ch.STATUSES], key="ch-status")
fw = framework()
measure = c2.selectbox("Measure", ["", *fw.ids], key="ch-measure",
                       format_func=lambda i: fw.get(i).name if i else "All measures")
overdue = c3.toggle("Overdue only", key="ch-overdue")
filters = dict(partner_id=f.partner.id if f.partner else None, status=None if status == "All" else status,
               measure=measure or None, overdue_only=overdue)
publish = ui.publication_mode()
log = ch.challenge_log(engine, today, publish=publish, **filters)
exported = log if publish else ch.challenge_log(engine, today, publish=True, **filters)  # exports: publication mode
who = ui.plain(f.partner.name) if f.partner else "all partners"
open_n, overdue_n = int((log["Status"] == "open").sum()), int((log["Overdue"] == "Yes").sum())
st.markdown(f"**{len(log)}** challenge{'' if len(log) == 1 else 's'} for {who} · **{open_n}** open · **{overdue_n}** overdue")
if log.empty:
    ui.no_data("No challenges match these filters.")
else:
    st.dataframe(ui.blank_empty(log), hide_index=True, width="stretch", column_config={"No.": st.column_config.NumberColumn(format="%d")})
    d1, d2 = st.columns(2)
    with d1:
        ui.download_csv(exported, "challenge log")
    with d2:
        st.download_button("Download challenge log (Excel)", ch.log_workbook(exported), file_name="challenge log.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click=ui.record_export, args=("challenge log.xlsx", len(log)))

    st.markdown("#### Work on a challenge")
    if flash := st.session_state.pop("ch-flash", None):
        st.success(flash, icon=":material/check_circle:")
    number = st.selectbox("Challenge", log["No."].tolist(), key="ch-pick",
                          format_func=lambda n: f"{n}: {log.loc[log['No.'] == n, 'Question'].iloc[0][:80]}")
    row = log.loc[log["No."] == number].iloc[0]
    st.markdown(f"**{ui.plain(row['Partner'])}** · status **{ui.plain(row['Status'])}**"
                + (f" ({ui.plain(row['Outcome'])})" if pd.notna(row["Outcome"]) else ""))
    st.text(row["Question"])
    if pd.notna(row["Evidence"]) and row["Evidence"]:
        st.caption(f"Evidence when raised: {ui.plain(row['Evidence'])}")
    partner_id = {p.code: p.id for p in f.partners}.get(row["Partner"])
    may_respond, may_close = ui.allowed("respond_challenges", partner_id), ui.allowed("close_challenges", partner_id)
    try:
        if row["Status"] != "closed" and may_respond:
            with st.form("respond", clear_on_submit=True):
                response = st.text_area("Partner's response")
                if st.form_submit_button("Record response"):
                    if not ui.allowed("respond_challenges", partner_id):  # checked again on the server
                        raise ch.ChallengeError("Your role does not allow you to respond to this challenge.")
                    ch.respond(engine, int(number), response, actor)
                    ui.audit(audit.CHALLENGE_RESPONDED, f"challenge {number}", {"partner": row["Partner"]})
                    st.session_state["ch-flash"] = f"Response recorded on challenge {number}; it now awaits the Board."
                    st.rerun()
        if row["Status"] != "closed" and may_close:
            with st.form("close"):
                outcome = st.radio("Close as", ch.OUTCOMES, horizontal=True)
                note = st.text_input("Note for the record")
                if st.form_submit_button("Close challenge"):
                    if not ui.allowed("close_challenges", partner_id):
                        raise ch.ChallengeError("Only the chair can close a challenge.")
                    ch.close(engine, int(number), outcome, actor, note or None)
                    ui.audit(audit.CHALLENGE_CLOSED, f"challenge {number}", {"outcome": outcome, "note": note or None})
                    st.session_state["ch-flash"] = f"Challenge {number} closed ({outcome})."
                    st.rerun()
        elif row["Status"] == "closed" and may_close:
            with st.form("reopen"):
                note = st.text_input("Why reopen it?")
                if st.form_submit_button("Reopen challenge"):
                    if not ui.allowed("close_challenges", partner_id):
                        raise ch.ChallengeError("Only the chair can reopen a challenge.")
                    ch.reopen(engine, int(number), actor, note)
                    ui.audit(audit.CHALLENGE_REOPENED, f"challenge {number}", {"note": note})
                    st.session_state["ch-flash"] = f"Challenge {number} reopened."
                    st.rerun()
        if not (may_respond or may_close):
            st.caption("Your role lets you read this challenge but not change it.")
    except ch.ChallengeError as exc:
        st.error(ui.message(exc))
    st.markdown("##### History")
    st.dataframe(ch.history(engine, int(number)), hide_index=True, width="stretch")

if f.partner is not None and ui.allowed("raise_challenges", f.partner.id):
    with st.expander(f"Raise a new challenge to {ui.plain(f.partner.name)}"):
        raise_challenge_form(engine, f.partner.code, f.partner.name, ch.Evidence(period=f.period.label if f.period else None),
                             "partner view", actor, key="log")
elif ui.allowed("raise_challenges"):
    st.caption("Choose a partner in the sidebar to raise a new challenge to them.")
