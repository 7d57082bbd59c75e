from datetime import date

import pandas as pd
import streamlit as st

import ui
from assurance.access.roles import AccessDenied
from assurance.board import challenges as ch
from assurance.measures.framework import framework
from ui.challenge import raise_challenge_form

f = ui.page("Challenge log", "The Board's questions to partners, their responses and the outcome, with every change kept.")
engine = ui.engine()
user = ui.current_user()
address = ui.auth.client_address()
today = date.today()

c1, c2, c3 = st.columns([1, 1, 1])
status = c1.selectbox("Status", ["All", *ch.STATUSES], key="ch-status",
                      format_func=lambda s: {"open": "Awaiting response", "responded": "Awaiting the Board's decision",
                                             "closed": "Closed"}.get(s, s))
fw = framework()
measure = c2.selectbox("Measure", ["", *fw.ids], key="ch-measure",
                       format_func=lambda i: fw.get(i).name if i else "All measures")
overdue = c3.toggle("Overdue only", key="ch-overdue")
filters = dict(partner_id=f.partner.id if f.partner else None, status=None if status == "All" else status,
               measure=measure or None, overdue_only=overdue)
publish = ui.publication_mode()
log = ch.challenge_log(engine, today, publish=publish, **filters)
exported = ch.log_export(log if publish else ch.challenge_log(engine, today, publish=True, **filters))  # published
who = ui.plain(f.partner.name) if f.partner else "all partners"
st.markdown(ch.counts_line(ch.log_counts(log), who))
if log.empty:
    ui.no_data("No challenges match these filters.")
else:
    table = ch.log_table(log)
    st.dataframe(ui.blank_empty(table), hide_index=True, width="stretch", height=min(38 + 35 * len(table), 300),
                 column_config={"No.": st.column_config.NumberColumn(format="%d", width=48),
                                "Partner": st.column_config.TextColumn(width=190),
                                "Status": st.column_config.TextColumn(width=210),
                                "Due": st.column_config.DateColumn(format="DD/MM/YYYY", width=95),
                                "Raised": st.column_config.DateColumn(format="DD/MM/YYYY"),
                                "Question": st.column_config.TextColumn(width="large")})
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
    number = st.selectbox("Challenge", table["No."].tolist(), key="ch-pick",
                          format_func=lambda n: f"{n}: {log.loc[log['No.'] == n, 'Question'].iloc[0][:80]}")
    row = log.loc[log["No."] == number].iloc[0]
    st.markdown(f"**{ui.plain(row['Partner name'])}** · "
                f"**{ch.status_text(row['Status'], row['Outcome'], row['Overdue'] == 'Yes')}**"
                + (f" · due {row['Due']:%d/%m/%Y}" if pd.notna(row["Due"]) and row["Due"] else ""))
    st.markdown("**Question**")
    st.text(row["Question"])
    if pd.notna(row["Evidence"]) and row["Evidence"]:
        st.caption(f"Evidence when raised: {ui.plain(row['Evidence'])}")
    if isinstance(row["Response"], str) and row["Response"].strip():
        st.markdown(f"**Partner's response** ({ui.plain(row['Responded by'] or '')}"
                    + (f", {row['Responded']:%d/%m/%Y}" if pd.notna(row["Responded"]) and row["Responded"] else "") + ")")
        st.text(row["Response"])  # whole: the chair decides on it here
    partner_id = {p.code: p.id for p in ui.all_partners()}.get(row["Partner"])
    steps = ch.next_steps(user, row["Status"], partner_id)
    try:
        if "respond" in steps:
            with st.form("respond", clear_on_submit=True):
                label = "Partner's response" if row["Status"] == "open" else "A further response (replaces the one above)"
                response = st.text_area(label)
                if st.form_submit_button("Record response"):
                    ch.respond(engine, int(number), response, user, address=address)
                    st.session_state["ch-flash"] = f"Response recorded on challenge {number}; it now awaits the Board."
                    st.rerun()
        if "close" in steps:
            with st.form("close"):
                outcome = st.radio("Close as", ch.OUTCOMES, horizontal=True)
                note = st.text_input("Note for the record")
                if st.form_submit_button("Close challenge"):
                    ch.close(engine, int(number), outcome, user, note or None, address=address)
                    st.session_state["ch-flash"] = f"Challenge {number} closed ({outcome})."
                    st.rerun()
        if "reopen" in steps:
            with st.form("reopen"):
                note = st.text_input("Why reopen it?")
                if st.form_submit_button("Reopen challenge"):
                    ch.reopen(engine, int(number), user, note, address=address)
                    st.session_state["ch-flash"] = f"Challenge {number} reopened."
                    st.rerun()
        if not steps:
            st.caption("Your role lets you read this challenge but not change it.")
        if row["Status"] == "closed" and isinstance(row["Closing note"], str) and row["Closing note"]:
            st.caption(f"Closing note: {ui.plain(row['Closing note'])}")
    except (ch.ChallengeError, AccessDenied) as exc:
        st.error(ui.message(exc))
    st.markdown("##### History")
    st.dataframe(ch.history(engine, int(number)), hide_index=True, width="stretch")

if f.partner is not None and ch.may_raise(user):
    with st.expander(f"Raise a new challenge to {ui.plain(f.partner.name)}"):
        raise_challenge_form(engine, f.partner.code, f.partner.name, ch.Evidence(period=f.period.label if f.period else None),
                             "partner view", user, key="log")
elif ch.may_raise(user):
    st.caption("Choose a partner in the sidebar to raise a new challenge to them.")
