import streamlit as st

import ui
from assurance.config import RETURN_TYPES
from assurance.returns.issues import problems_listed
from assurance.returns.tracker import (LATE, MISSING, NOT_DUE, SUBMITTED, history_frame, history_screen,
                                       overdue_and_unlisted, published_rows, state_counts, submission_issues,
                                       tracker_frame, tracker_screen)

f = ui.page("Submissions", "Which returns are in, late or missing for a quarter, and every upload behind them.")
engine = ui.engine()
if f.period is None:
    ui.no_data("No reporting periods yet.")
    st.stop()
period, label = f.period, f.period.label  # the sidebar's period: the choice holds on every page
for overdue in overdue_and_unlisted(engine, [p.label for p in f.periods]):
    st.warning(f"Returns for {overdue.label} were due by {overdue.due:%d %B %Y} and none has been accepted yet, so "
               "the period is not offered in the sidebar: every return for it is missing.", icon=":material/warning:")

df = tracker_frame(engine, label, partner_code=f.partner.code if f.partner else None)  # a bound user: their own
counts = state_counts(df)
st.caption(f"Returns for {label} were due by {period.due:%d %B %Y}"
           + (f". {ui.plain(f.partner.name)} only: choose All partners in the sidebar for the whole Board." if f.partner and
              not ui.partner_bound(ui.current_user()) else "."))
cols = st.columns(4)
for col, state in zip(cols, (MISSING, LATE, NOT_DUE, SUBMITTED)):
    col.metric(state, counts[state])
st.dataframe(tracker_screen(df), hide_index=True, width="stretch", height="content",
             column_config={"Errors": st.column_config.TextColumn(alignment="right", width="small")})
ui.download_csv(published_rows(df, True), f"submissions tracker {label}", key="dl-tracker")

st.markdown("#### History")
pairs = {f"{name} · {title}": (code, title)  # the partner's name and the return -> (code, title)
         for code, name, title in zip(df["Partner"], df["Partner name"], df["Return"])}
if not pairs:
    ui.no_data("No returns are expected from this partner.")
    st.stop()
chosen = st.selectbox("Partner and return", list(pairs), key="tracker_pair")
partner_code, return_title = pairs[chosen]
rtype = next(k for k, v in RETURN_TYPES.items() if v == return_title)
hist = history_frame(engine, label, partner_code, rtype)
if hist.empty:
    ui.no_data(f"No uploads for {ui.plain(chosen)} in {label}.")
else:
    st.dataframe(history_screen(hist, ui.publication_mode()), hide_index=True, width="stretch",
                 column_config={c: st.column_config.TextColumn(alignment="right")
                                for c in ("Rows", "Errors", "Queries", "Superseded by")})
    ui.download_csv(published_rows(hist, True), f"history {partner_code} {label}", key="dl-history")
    sub_id = st.selectbox("Show the problems found in", hist["Submission"].tolist(), key="tracker_sub",
                          format_func=lambda s: f"submission {s}")
    issues = submission_issues(engine, int(sub_id))
    if issues.empty:
        st.caption("No issues were recorded for this submission.")
    else:
        listed, left_off = problems_listed(issues)
        st.table(listed.map(ui.plain), hide_index=True)  # wraps: where and how to fix it are read in full
        if left_off:
            st.caption(left_off)
        ui.download_csv(issues, f"issues submission {sub_id}", key="dl-sub-issues")

if ui.allowed("manage_periods"):
    with st.expander("Change the due date", icon=":material/event:"):
        if ui.due_date_form(period, key="due_date"):
            st.rerun()
