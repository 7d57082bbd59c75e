from datetime import date

import streamlit as st

import ui
from assurance.board import actions as act

f = ui.page("SAR and audit actions", "Safeguarding Adults Review recommendations and audit actions, with owner, due date, progress and RAG.")
engine = ui.engine()
today = date.today()
act.sync_audit_actions(engine)

c1, c2 = st.columns(2)
source = c1.selectbox("Source", ["All", *act.SOURCES], key="act-source")
rag = c2.selectbox("RAG", ["All", *act.RAG_LABELS.values()], key="act-rag")
rag_key = next((k for k, v in act.RAG_LABELS.items() if v == rag), None)
frame = act.tracker_frame(engine, today, None if source == "All" else source, f.partner.id if f.partner else None, rag_key)
counts = frame["RAG"].value_counts()
st.markdown(" · ".join(f"**{counts.get(label, 0)}** {label.lower()}" for label in act.RAG_ORDER))
st.caption("RAG is worked out from today's date: an action past its due date and not completed turns red by itself.")
if frame.empty:
    ui.no_data("No actions match these filters.")
else:
    table = act.action_table(frame)
    st.dataframe(ui.blank_empty(table).style.map(act.rag_cell_style, subset=["RAG"]), hide_index=True, width="stretch",
                 column_config={"Action ID": st.column_config.NumberColumn("No.", format="%d", width=48),
                                "RAG": st.column_config.TextColumn(width=140),
                                "Due date": st.column_config.DateColumn(format="DD/MM/YYYY", width=95),
                                "Completed date": st.column_config.DateColumn(format="DD/MM/YYYY"),
                                "Action": st.column_config.TextColumn(width="large")})
d1, d2 = st.columns(2)
with d1:
    ui.download_csv(frame, "actions")
with d2:
    st.download_button("Download tracker (Excel)", act.export_tracker(frame), file_name="SAR and audit actions.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       on_click=ui.record_export, args=("SAR and audit actions.xlsx", len(frame)))

user = ui.current_user()
if not act.may_edit(user):
    st.caption("Your role lets you read the actions; the QA subgroup, the chair and administrators update them.")
    st.stop()

if not frame.empty:
    st.markdown("#### Update an action")
    if flash := st.session_state.pop("act-flash", None):
        st.success(flash, icon=":material/check_circle:")
    number = st.selectbox("Action", table["Action ID"].tolist(), key="act-pick",
                          format_func=lambda n: f"{n}: {frame.loc[frame['Action ID'] == n, 'Action'].iloc[0][:80]}")
    row = frame.loc[frame["Action ID"] == number].iloc[0]
    with st.form(f"update-action-{number}"):  # one form per action: its fields start from what is stored
        status = st.selectbox("Status", act.STATUSES, index=act.STATUSES.index(row["Status"]))
        completed = st.date_input("Completed on (for a completed action)", value=row["Completed date"] or None,
                                  format="DD/MM/YYYY")
        progress = st.text_area("Progress notes", value=row["Progress notes"] or "")
        evidence = st.text_area("Evidence", value=row["Evidence"] or "")
        if st.form_submit_button("Save"):
            try:
                changed = act.update_action(engine, int(number), user, status=status, progress=progress,
                                            evidence=evidence, completed_date=completed,
                                            address=ui.auth.client_address())
                st.session_state["act-flash"] = (f"Action {number} saved: {'; '.join(changed)}." if changed
                                                 else f"Action {number}: nothing had changed, so nothing was saved.")
                st.rerun()
            except (act.TrackerError, PermissionError) as exc:
                st.error(ui.message(exc))

st.markdown("#### Import a tracker")
st.caption("Use the Excel tracker downloaded above: rows with an Action ID update that action; rows without one add a new SAR action.")
upload = st.file_uploader("Tracker workbook (.xlsx)", type=["xlsx"], key="act-upload")
if upload is not None and st.button("Import tracker", type="primary"):
    try:
        result = act.import_tracker(engine, upload.getvalue(), user, upload.name, address=ui.auth.client_address())
    except PermissionError as exc:
        st.error(ui.message(exc))
        st.stop()
    if result.problems:
        st.error("Nothing was imported. Fix these and try again:\n\n" + "\n".join(f"- {ui.message(p)}" for p in result.problems))
    else:
        st.success(f"Imported: {result.created} new, {result.updated} updated, {result.unchanged} unchanged.")
