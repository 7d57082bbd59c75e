from datetime import date

import pandas as pd
import streamlit as st

import ui
from assurance.board import challenges as ch
from ui.challenge import raise_challenge_form

f = ui.page("Challenge log", "The Board's questions to partners, their responses and the outcome, with every change kept.")
engine = ui.engine()
actor = ui.current_user_name()
today = date.today()

c1, c2, c3 = st.columns([1, 1, 1])
status = c1.selectbox("Status", ["All", *ch.STATUSES], key="ch-status")
measure = c2.text_input("Measure id", key="ch-measure", placeholder="e.g. staff_trained")
overdue = c3.toggle("Overdue only", key="ch-overdue")
log = ch.challenge_log(
    engine, today, partner_id=f.partner.id if f.partner else None, status=None if status == "All" else status,
    measure=measure.strip() or None, overdue_only=overdue,
)
who = f.partner.name if f.partner else "all partners"
open_n, overdue_n = int((log["Status"] == "open").sum()), int((log["Overdue"] == "Yes").sum())
st.markdown(f"**{len(log)}** challenges for {who} · **{open_n}** open · **{overdue_n}** overdue")
if log.empty:
    ui.no_data("No challenges match these filters.")
else:
    st.dataframe(log, hide_index=True, width="stretch", column_config={"No.": st.column_config.NumberColumn(format="%d")})
    d1, d2 = st.columns(2)
    with d1:
        ui.download_csv(log, "challenge log")
    with d2:
        st.download_button("Download challenge log (Excel)", ch.log_workbook(log), file_name="challenge log.xlsx",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    st.markdown("#### Work on a challenge")
    number = st.selectbox("Challenge", log["No."].tolist(), key="ch-pick",
                          format_func=lambda n: f"{n}: {log.loc[log['No.'] == n, 'Question'].iloc[0][:80]}")
    row = log.loc[log["No."] == number].iloc[0]
    st.markdown(f"**{row['Partner']}** · status **{row['Status']}**" + (f" ({row['Outcome']})" if pd.notna(row["Outcome"]) else ""))
    st.text(row["Question"])
    if pd.notna(row["Evidence"]) and row["Evidence"]:
        st.caption(f"Evidence when raised: {row['Evidence']}")
    try:
        if row["Status"] != "closed":
            with st.form("respond", clear_on_submit=True):
                response = st.text_area("Partner's response")
                if st.form_submit_button("Record response"):
                    ch.respond(engine, int(number), response, actor)
                    st.rerun()
            with st.form("close"):
                outcome = st.radio("Close as", ch.OUTCOMES, horizontal=True)
                note = st.text_input("Note for the record")
                if st.form_submit_button("Close challenge"):
                    ch.close(engine, int(number), outcome, actor, note or None)
                    st.rerun()
        else:
            with st.form("reopen"):
                note = st.text_input("Why reopen it?")
                if st.form_submit_button("Reopen challenge"):
                    ch.reopen(engine, int(number), actor, note)
                    st.rerun()
    except ch.ChallengeError as exc:
        st.error(str(exc))
    st.markdown("##### History")
    st.dataframe(ch.history(engine, int(number)), hide_index=True, width="stretch")

if f.partner is not None:
    with st.expander(f"Raise a new challenge to {f.partner.name}"):
        raise_challenge_form(engine, f.partner.code, f.partner.name, ch.Evidence(period=f.period.label if f.period else None),
                             "partner view", actor, key="log")
else:
    st.caption("Choose a partner in the sidebar to raise a new challenge to them.")
