from datetime import date, timedelta

import streamlit as st

import ui
from assurance.access import audit
from assurance.admin_tables import (AUDIT_WIDTHS, WRAP_ROW_HEIGHT, action_words, audit_event_detail, audit_events,
                                    audit_names)
from ui.navigation import declared

ui.page("Audit trail", "Every sign-in, export, upload, challenge change, admin change and command, as recorded. "
        "Nothing here can be changed or deleted.")
engine = ui.engine()
if st.button("Check the trail", icon=":material/verified:", help="Recompute every event's hash: shows whether any "
             "event was changed, removed or slipped in since it was written."):
    check = audit.verify(engine)
    (st.success if check.intact else st.error)(check.message)
actors, actions = audit.actors_and_actions(engine)
ALL = "All"
c1, c2, c3, c4 = st.columns([1, 1, 1.3, 1.5])
actor = c1.selectbox("User", [ALL, *actors], key="audit-user")
action = c2.selectbox("Action", [ALL, *actions], key="audit-action",
                      format_func=lambda a: a if a == ALL else action_words(a))
span = c3.date_input("Dates", value=(date.today() - timedelta(days=30), date.today()), format="DD/MM/YYYY",
                     key="audit-dates")
text = c4.text_input("Text in target or details", key="audit-text")
start, end = (span[0], span[-1]) if isinstance(span, (tuple, list)) and span else (None, None)
events = audit.search(engine, None if actor == ALL else actor, None if action == ALL else action, start, end, text)
st.markdown(f"**{len(events):,}** events" + (" (the newest 5,000)" if len(events) >= 5000 else ""))
if events.empty:
    ui.no_data("No events match this search.")
else:
    titles = {script: title for pages in declared().values() for script, title, *_ in pages}
    shown = audit_events(events, audit_names(engine, titles))
    picked = ui.grid(shown, height=min(WRAP_ROW_HEIGHT * len(events) + 38, 470), row_height=WRAP_ROW_HEIGHT,
                     on_select="rerun", selection_mode="single-row", key="audit-events",
                     column_config={c: st.column_config.TextColumn(width=w) for c, w in AUDIT_WIDTHS.items()} |
                     {"When": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm:ss", width=AUDIT_WIDTHS["When"]),
                      "From": {"hidden": True}})
    rows = picked.selection.rows if picked else []
    if rows:
        event = audit_event_detail(shown.iloc[rows[0]])
        st.markdown("  \n".join(f"**{label}:** {ui.plain(text)}" for label, text in event))
    else:
        st.caption("Pick a row for the whole event: its details in full and where it came from.")
    ui.download_csv(events, "audit trail")
    st.caption("The download keeps each event's details exactly as recorded (JSON).")
