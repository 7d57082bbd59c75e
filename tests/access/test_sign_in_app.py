"""Signing in and out through the app (AppTest), OpenID Connect matching, exports and the admin pages."""

import io
from pathlib import Path

import pandas as pd
from streamlit.testing.v1 import AppTest

from assurance.access import audit
from assurance.access.accounts import find_user
from assurance.access.demo_accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from assurance.db.engine import get_engine
from tests.pages.helpers import APP, open_page, texts, user_for_role

ROOT = Path(APP).parent


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def _sign_in(at, username, password):
    at.text_input(key="sign-in-username").input(username)
    at.text_input(key="sign-in-password").input(password)
    next(b for b in at.button if b.label == "Sign in").click()
    return at.run()


def _board_config(tmp_path, monkeypatch, **changes) -> None:
    """A copy of the default board.toml with some settings changed, used by the app for this test."""
    text = (ROOT / "assurance" / "defaults" / "board.toml").read_text(encoding="utf-8")
    for old, new in changes.items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "board.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ASSURANCE_BOARD_CONFIG", str(path))


def test_nothing_is_shown_before_sign_in_on_any_page(demo_url):
    at = _app()
    assert at.title[0].value == "Sign in" and not at.metric and not at.dataframe
    pages = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
    assert len(pages) == 18
    for page in pages:
        at.switch_page(page).run()
        assert [t.value for t in at.title] == ["Sign in"] and not at.dataframe, page
    demo = at.info[0].value
    assert DEMO_PASSWORD in demo and all(f"`{u}`" in demo for u, *_ in DEMO_ACCOUNTS)


def test_sign_in_sign_out_and_the_audit_trail(demo_copy_url):
    engine = get_engine(demo_copy_url)
    at = _sign_in(_app(), "qa", "not the password")
    assert at.error[0].value == "The username or password is not right." and at.title[0].value == "Sign in"
    at = _sign_in(at, "qa", DEMO_PASSWORD)
    assert at.title[0].value == "Overview" and not at.error
    assert "**Quinn QA**" in texts(at) and "QA member" in texts(at)
    at.switch_page("pages/submissions.py").run()
    assert at.title[0].value == "Submissions"  # the session stays signed in across pages
    next(b for b in at.sidebar.button if b.label == "Sign out").click()
    at.run()
    assert at.title[0].value == "Sign in"
    events = audit.search(engine, actor="qa").iloc[::-1]
    assert list(zip(events["Who"], events["Action"])) == [
        ("qa", audit.SIGN_IN_FAILED), ("qa", audit.SIGN_IN), ("qa", audit.SIGN_OUT)]
    assert (events["From"] == "local").all()


def test_lockout_through_the_form(demo_copy_url):
    at = _app()
    for _ in range(5):
        at = _sign_in(at, "analyst.police", "wrong password")
    assert at.error[0].value == "The username or password is not right."  # the lock is not told ...
    at = _sign_in(at, "analyst.police", DEMO_PASSWORD)
    assert at.error[0].value == "The username or password is not right." and at.title[0].value == "Sign in"
    locked = audit.search(get_engine(demo_copy_url), action=audit.LOCKED_OUT)  # ... but it is recorded
    assert list(locked["Target"]) == ["analyst.police"]


def test_a_disabled_account_is_signed_out_at_once(demo_copy_url):
    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    at = _sign_in(_app(), "chair", DEMO_PASSWORD)
    assert at.title[0].value == "Overview"
    update_user(get_engine(demo_copy_url), ADMIN, "chair", active=False)
    at.run()
    assert at.title[0].value == "Sign in"


def test_demo_accounts_only_in_demo_mode(engine, tmp_path, monkeypatch):
    _board_config(tmp_path, monkeypatch, **{"demo = true": "demo = false"})
    assert ensure_demo_accounts(engine) == [] and find_user(engine, "chair") is None
    at = _app()
    assert at.title[0].value == "Sign in" and not at.info and DEMO_PASSWORD not in texts(at)
    assert "Synthetic demo data" not in texts(at)


def test_demo_build_creates_one_account_per_role(demo_engine):
    from assurance.access.roles import ROLES

    users = {u: find_user(demo_engine, u) for u, *_ in DEMO_ACCOUNTS}
    assert {u.role for u in users.values()} == set(ROLES)
    assert [(u.username, u.partner_code) for u in users.values() if u.partner_code] == [
        ("analyst.police", "POL"), ("analyst.council", "LA"), ("lead.ambulance", "AMB")]


def test_openid_connect_users_are_matched_by_email(engine, tmp_path, monkeypatch):
    _board_config(tmp_path, monkeypatch, **{'mode = "local"': 'mode = "oidc"'})
    user_for_role("qa")  # e-mail set below
    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    update_user(engine, ADMIN, "qa", email="Quinn.QA@Board.Example")
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": False}
    at.run()
    assert at.title[0].value == "Sign in" and at.button[0].label == "Sign in with your organisation account"
    assert not at.text_input  # no password form in OpenID Connect mode

    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "quinn.qa@board.example", "name": "Quinn"}
    at.run()
    assert at.title[0].value == "Overview" and "QA member" in texts(at)
    at.run()
    at = AppTest.from_file(APP, default_timeout=60)
    at.user = {"is_logged_in": True, "email": "stranger@elsewhere.example"}
    at.run()
    assert at.title[0].value == "Sign in" and "not set up in this product" in at.error[0].value
    events = audit.search(engine).iloc[::-1]
    assert list(zip(events["Action"], events["Target"])) == [
        (audit.USER_CREATED, "qa"), (audit.USER_CHANGED, "qa"), (audit.SIGN_IN, "qa"), (audit.SIGN_IN_FAILED, "stranger@elsewhere.example")]


def test_csv_exports_are_formula_safe_and_audited(engine, monkeypatch):
    import ui
    from assurance.board import challenges as ch

    served = {}

    def spy(df):
        served["csv"] = ui_safe_csv(df)
        return served["csv"]

    ui_safe_csv = ui.safe_csv
    monkeypatch.setattr(ui, "safe_csv", spy)  # what ui.download_csv hands to the browser

    ch.raise_challenge(engine, partner_code="POL", question="=HYPERLINK(\"http://x.invalid\",\"open\")",
                       by=user_for_role("qa"), evidence=ch.Evidence(), source="partner view")
    at = open_page("pages/challenges.py", role="qa")
    csv = next(b for b in at.download_button if b.label == "Download data (CSV)")
    frame = pd.read_csv(io.BytesIO(served["csv"]), encoding="utf-8-sig")
    assert frame.loc[0, "Question"] == "'=HYPERLINK(\"http://x.invalid\",\"open\")"
    csv.click()
    at.run()
    exports = audit.search(engine, action=audit.EXPORT)
    assert list(exports["Who"]) == ["qa"] and list(exports["Target"]) == ["challenge log.csv"]
    assert exports.iloc[0]["Details"] == '{"rows": 1}'


def test_admin_adds_and_changes_users_on_the_users_page(engine):
    at = open_page("pages/admin_users.py", role="admin")
    by_label = {}
    for t in at.text_input:  # the add form comes first; its inputs have no keys
        by_label.setdefault(t.label, t)
    by_label["Username"].input("jo.smith")
    by_label["Name"].input("Jo Smith")
    next(s for s in at.selectbox if s.label == "Role").set_value("partner_lead")
    next(s for s in at.selectbox if s.label.startswith("Partner (")).set_value("ICB")
    next(b for b in at.button if b.label == "Add user").click()
    at.run()
    assert "User jo.smith added as partner lead." in texts(at)
    jo = find_user(engine, "jo.smith")
    assert (jo.role, jo.partner_code, jo.name) == ("partner_lead", "ICB", "Jo Smith")
    # A partner lead without a partner is refused in plain words.
    by_label = {}
    for t in at.text_input:
        by_label.setdefault(t.label, t)
    by_label["Username"].input("no.partner")
    by_label["Name"].input("No Partner")
    next(s for s in at.selectbox if s.label == "Role").set_value("analyst")
    next(b for b in at.button if b.label == "Add user").click()
    at.run()
    assert "must be linked to one partner" in at.error[0].value and find_user(engine, "no.partner") is None
    created = audit.search(engine, action=audit.USER_CREATED)
    assert list(created["Target"])[0] == "jo.smith" and list(created["Who"])[0] == "admin"


def test_audit_trail_page_searches_and_exports(engine):
    audit.record(engine, "ann", audit.EXPORT, "overview.csv")
    audit.record(engine, "bob", audit.SIGN_IN, "bob")
    at = open_page("pages/admin_audit.py", role="admin")
    shown = at.dataframe[0].value
    assert {"ann", "bob"} <= set(shown["Who"])
    at.selectbox(key="audit-action").set_value(audit.EXPORT).run()
    assert list(at.dataframe[0].value["Who"]) == ["ann"]
    at.text_input(key="audit-text").input("nothing like this").run()
    assert "No events match this search." in texts(at)
    at.text_input(key="audit-text").input("").run()
    assert any(b.label == "Download data (CSV)" for b in at.download_button)


def test_a_session_is_tied_to_the_username_not_just_the_id(demo_url):
    from ui.auth import SESSION_KEY, SESSION_NAME

    chair = user_for_role("chair")
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state[SESSION_KEY] = chair.id
    at.session_state[SESSION_NAME] = "someone.else"  # e.g. the database was rebuilt under the session
    at.run()
    assert at.title[0].value == "Sign in" and not at.metric


def test_a_local_sign_in_ends_after_idle_minutes(demo_copy_url):
    import time

    from ui.auth import LAST_SEEN

    at = _sign_in(_app(), "qa", DEMO_PASSWORD)
    assert at.title[0].value == "Overview"
    at.session_state[LAST_SEEN] = time.time() - 29 * 60  # within the 30 minutes: still signed in
    at.run()
    assert at.title[0].value == "Overview"
    at.session_state[LAST_SEEN] = time.time() - 31 * 60
    at.run()
    assert [t.value for t in at.title] == ["Sign in"] and not at.dataframe
    idle = audit.search(get_engine(demo_copy_url), action=audit.SIGNED_OUT_IDLE)
    assert list(idle["Who"]) == ["qa"]
