import pandas as pd
import streamlit as st

import ui
from assurance.access.accounts import MIN_PASSWORD_LENGTH, AccountError, create_user, list_users, update_user
from assurance.access.roles import AccessDenied, ROLES
from assurance.admin_tables import USER_WIDTHS, WRAP_ROW_HEIGHT, users_table
from assurance.directory import list_partners

f = ui.page("Users", "Who may sign in, their role and, for analysts and partner leads, their partner.")
engine = ui.engine()
me = ui.current_user()
address = ui.auth.client_address()
NO_PARTNER = "(none: sees every partner)"
codes = [NO_PARTNER] + [p.code for p in f.partners]
partner_names = {p.code: f"{p.name} ({p.code})" for p in f.partners}

listed = list_users(engine)
users = pd.DataFrame(listed)
if users.empty:
    ui.no_data("No users yet.")
else:
    shown = users_table(listed, {p.code: p.name for p in list_partners(engine, include_inactive=True)})
    ui.grid(shown, row_height=WRAP_ROW_HEIGHT, column_config={  # the e-mail is in the table's column menu
        **{c: {"width": w} for c, w in USER_WIDTHS.items() if c in shown}, "E-mail": {"hidden": True}})
    ui.download_csv(shown, "users")
    locked = users[users["locked until"].notna()]
    if not locked.empty:
        st.warning("Locked after too many failed sign-ins: " + ", ".join(
            f"{ui.plain(r['username'])} (until {r['locked until']:%H:%M})" for _, r in locked.iterrows()) +
            ". They are not told their account is locked; clear a lockout under Change a user.",
            icon=":material/lock:")
st.caption(" · ".join(f"**{r.label}**: {r.description}" for r in ROLES.values()))

st.markdown("#### Add a user")
with st.form("add-user", clear_on_submit=True):
    c1, c2 = st.columns(2)
    username = c1.text_input("Username", placeholder="e.g. jo.smith")
    name = c2.text_input("Name")
    role_key = c1.selectbox("Role", list(ROLES), format_func=lambda k: ROLES[k].label)
    partner = c2.selectbox("Partner (analysts and partner leads)", codes,
                           format_func=lambda c: partner_names.get(c, c))
    email = c1.text_input("E-mail (how OpenID Connect sign-ins are matched)")
    password = c2.text_input(f"Password for a local account (at least {MIN_PASSWORD_LENGTH} characters, e.g. "
                             "three or more random words; "
                             "leave empty for OpenID Connect only)", type="password")
    if st.form_submit_button("Add user", type="primary"):
        try:
            made = create_user(engine, me, username, name, role_key, None if partner == NO_PARTNER else partner,
                               email or None, password or None, address=address)
            st.success(f"User {ui.plain(made.username)} added as {made.role_label.lower()}.")
        except (AccountError, AccessDenied) as exc:
            st.error(ui.message(exc))

if not users.empty:
    st.markdown("#### Change a user")
    who = st.selectbox("User", users["username"].tolist(), key="edit-user")
    row = users.loc[users["username"] == who].iloc[0]
    with st.form("change-user"):
        c1, c2 = st.columns(2)
        new_role = c1.selectbox("Role", list(ROLES), index=list(ROLES).index(row["role"]),
                                format_func=lambda k: ROLES[k].label)
        current = row["partner"] if row["partner"] in codes else NO_PARTNER
        new_partner = c2.selectbox("Partner", codes, index=codes.index(current),
                                   format_func=lambda c: partner_names.get(c, c))
        new_name = c1.text_input("Name", value=row["name"])
        new_email = c2.text_input("E-mail", value=row["email"] or "")
        active = c1.toggle("Account active", value=bool(row["active"]))
        unlock = c2.checkbox("Clear a lockout")
        new_password = st.text_input("New local password (leave empty to keep)", type="password")
        if st.form_submit_button("Save changes"):
            try:
                changed = update_user(engine, me, who, role_key=new_role,
                                      partner_code=None if new_partner == NO_PARTNER else new_partner,
                                      name=new_name, email=new_email or None, active=active,
                                      password=new_password or None, unlock=unlock, address=address)
                st.success(f"User {ui.plain(changed.username)} saved.")
            except (AccountError, AccessDenied) as exc:
                st.error(ui.message(exc))
