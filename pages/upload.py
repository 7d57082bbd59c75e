import streamlit as st

import ui
from assurance.access import audit
from assurance.access.roles import AccessDenied
from assurance.config import RETURN_TYPES
from assurance.directory import list_periods
from assurance.returns.issues import problems_listed
from assurance.returns.load import LoadFailed, load_prepared, record_rejection
from assurance.returns.read import ReadError
from assurance.returns.report import highlighted_workbook
from assurance.returns.specs import get_spec, spec_markdown
from assurance.returns.templates import template_bytes, template_file_name
from assurance.returns.tracker import in_use
from assurance.returns.validate import UsageError, prepare, preview

DETECT = "Work it out from the file"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

f = ui.page("Upload a return", "Check a quarterly return against the rules, see every problem, then load it.")
engine = ui.engine()
me = ui.current_user()
user = me.actor
address = ui.auth.client_address()

own_type = f.partners[0].type if ui.partner_bound(me) and f.partners else None  # their own measures only
with st.expander("Templates, and what goes in each return", icon=":material/download:"):
    cols = st.columns(len(RETURN_TYPES))
    for col, rtype in zip(cols, RETURN_TYPES):
        col.download_button(f"{RETURN_TYPES[rtype]} template", lambda t=rtype: template_bytes(t, own_type),
                            file_name=template_file_name(rtype), mime=XLSX, key=f"template-{rtype}", on_click="ignore")
    for tab, rtype in zip(st.tabs(list(RETURN_TYPES.values())), RETURN_TYPES):
        tab.markdown(spec_markdown(get_spec(rtype)))

partners = {p.code: f"{p.name} ({p.code})" for p in f.partners}  # a partner-bound user's own partner only
period_labels = [p.label for p in reversed(list_periods(engine))]
c1, c2, c3 = st.columns(3)
partner_choices = list(partners) if ui.partner_bound(me) else [DETECT, *partners]
partner = c1.selectbox("Partner", partner_choices, format_func=lambda c: partners.get(c, c), key="upload_partner")
period = c2.selectbox("Quarter", [DETECT, *period_labels], key="upload_period")
rtype = c3.selectbox("Return", [DETECT, *RETURN_TYPES], format_func=lambda t: RETURN_TYPES.get(t, t), key="upload_type")
st.caption(f"Submitting as **{ui.plain(me.name)}** ({ui.plain(me.username)}).")
uploaded = st.file_uploader("Return file (.xlsx, .xlsm, .xls, .ods or .csv)", type=["xlsx", "xlsm", "xls", "ods", "csv"],
                            key="upload_file")
if uploaded is None:
    st.info("Choose the file to check. Partner, quarter and return type can be worked out from a file name such as "
            "`POL 2025-26 Q2.xlsx` and from the sheets and dates inside.", icon=":material/upload_file:")
    st.stop()

data = uploaded.getvalue()
choice = (uploaded.name, uploaded.size, uploaded.file_id, partner, period, rtype)
state = st.session_state
if state.get("upload_choice") != choice:
    bar = st.progress(0.0, text="Reading the file")
    try:
        prepared = prepare(data, uploaded.name, engine, None if partner == DETECT else partner,
                           None if period == DETECT else period, None if rtype == DETECT else rtype,
                           progress=lambda frac, msg: bar.progress(min(frac, 1.0), text=msg))
        report = preview(prepared, engine)
    except (ReadError, UsageError) as exc:
        bar.empty()
        if isinstance(exc, ReadError):
            ui.audit(audit.UPLOAD_REFUSED, uploaded.name, {"reason": str(exc), "size": uploaded.size})
        st.error(ui.message(f"{exc} Nothing has been changed."), icon=":material/block:")
        st.stop()
    bar.empty()
    if prepared.partner is not None and not ui.allowed("upload_returns", prepared.partner.id):
        ui.audit(audit.ACCESS_REFUSED, uploaded.name, {"needs": "upload_returns", "partner": prepared.partner.code})
        st.error(f"This file is a return from {ui.plain(prepared.partner.name)}, and your role lets you upload returns "
                 f"only for {ui.plain(me.partner_name or 'your own partner')}. Nothing has been changed.",
                 icon=":material/block:")
        st.stop()
    state.update(upload_choice=choice, upload_prepared=prepared, upload_report=report, upload_result=None)
prepared, report, result = state["upload_prepared"], state["upload_report"], state.get("upload_result")

st.subheader("Validation report")
st.markdown(ui.message(report.headline()))
if report.detected:
    st.caption(ui.message("Worked out: " + "; ".join(f"{k} {v}" for k, v in report.detected.items() if v)))
m1, m2, m3 = st.columns(3)
m1.metric("Rows read", f"{sum(report.rows.values()):,}")
m2.metric("Errors", f"{report.error_count:,}")
m3.metric("Queries", f"{report.query_count:,}")

if result is not None:
    if result.loaded:
        extra = f" It supersedes submission {', '.join(map(str, result.superseded))}." if result.superseded else ""
        st.success(f"Loaded as submission {result.submission_id}: {result.rows_loaded:,} rows.{extra}",
                   icon=":material/check_circle:")
    elif result.submission_id:
        n = result.report.error_count
        st.error(f"This return cannot be loaded: it has {n:,} error{'s' if n != 1 else ''}. Nothing has been changed; "
                 f"the attempt is recorded as rejected submission {result.submission_id}. Fix the errors and upload "
                 "the file again.", icon=":material/block:")
    else:
        n = report.error_count
        st.error(f"This return cannot be loaded: it has {n:,} error{'s' if n != 1 else ''}. Nothing has been changed.",
                 icon=":material/block:")
elif report.error_count:
    try:
        st.session_state["upload_result"] = result = record_rejection(prepared, engine, user, by=me, address=address)
    except (LoadFailed, AccessDenied) as exc:
        st.error(ui.message(exc), icon=":material/block:")
        st.stop()
    st.rerun()
else:
    if report.query_count:
        st.warning(f"{report.query_count:,} quer{'y' if report.query_count == 1 else 'ies'}: check each one below. "
                   "Queries do not stop the load.", icon=":material/help:")
        confirmed = st.checkbox("I have checked the queries and want to load this return", key="upload_confirm")
    else:
        st.success("No problems found.", icon=":material/check_circle:")
        confirmed = True
    current = in_use(engine, prepared.partner.id, prepared.period_id, prepared.spec.type)
    if current is not None:
        st.warning(f"{ui.plain(prepared.partner.name)} already has a {prepared.spec.title.lower()} in use for "
                   f"{prepared.period.label}: {ui.plain(current.describe())}. Loading this file replaces it with "
                   f"{prepared.row_count:,} rows; the earlier one is kept in the history, no longer counted.",
                   icon=":material/swap_horiz:")
        confirmed = st.checkbox(f"Replace submission {current.submission_id} with this return", key="upload_replace") \
            and confirmed
    if st.button("Load this return", type="primary", disabled=not confirmed, key="upload_load"):
        bar = st.progress(0.85, text="Loading")
        try:
            state["upload_result"] = load_prepared(prepared, engine, user, "upload",
                                                   progress=lambda frac, msg: bar.progress(min(frac, 1.0), text=msg),
                                                   by=ui.current_user(), address=address)
        except AccessDenied as exc:  # the role changed since the check above
            st.error(ui.message(f"{exc} Nothing has been changed."), icon=":material/block:")
            st.stop()
        except LoadFailed as exc:
            bar.empty()
            st.error(ui.message(exc), icon=":material/block:")
            st.stop()
        st.rerun()

if report.issues:
    st.markdown("#### Problems by rule")
    st.dataframe(ui.blank_empty(report.summary()), hide_index=True, width="stretch",
                 column_config={"Severity": st.column_config.TextColumn(width="small"),
                                "Problem": st.column_config.TextColumn(width="large")})
    st.markdown("#### Every problem")
    issues = report.frame()
    a, b, c = st.columns(3)
    severities = a.multiselect("Severity", sorted(issues["Severity"].unique()), key="upload_f_severity")
    rules = b.multiselect("Rule", sorted(issues["Rule"].unique(), key=report.rule_title), key="upload_f_rule",
                          format_func=report.rule_title)
    sheets = c.multiselect("Sheet", sorted(issues["Sheet"].dropna().unique()), key="upload_f_sheet")
    shown = issues
    if severities:
        shown = shown[shown["Severity"].isin(severities)]
    if rules:
        shown = shown[shown["Rule"].isin(rules)]
    if sheets:
        shown = shown[shown["Sheet"].isin(sheets)]
    listed, left_off = problems_listed(shown)
    st.table(listed.map(ui.plain), hide_index=True)  # wraps: where and how to fix it are read in full
    if left_off:
        st.caption(left_off)
    d1, d2 = st.columns(2)
    with d1:
        ui.download_csv(issues, f"issues {uploaded.name.rsplit('.', 1)[0]}", "Download every problem (CSV)", key="dl-issues")
    d2.download_button("Download the workbook with problem cells highlighted",
                       lambda: highlighted_workbook(prepared.data, prepared.file_name, report.issues),
                       file_name=f"checked {uploaded.name.rsplit('.', 1)[0]}.xlsx", mime=XLSX, key="dl-highlighted",
                       on_click=ui.record_export, args=(f"checked {uploaded.name}", len(report.issues)))
