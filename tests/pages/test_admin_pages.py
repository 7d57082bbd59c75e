"""The Admin pages: each shows what is in force and changes it through its form, recorded in the audit trail."""

import json
from datetime import timedelta

from sqlalchemy import func, select

from assurance import config
from assurance.access import audit
from assurance.db.engine import get_engine
from assurance.db.models import Partner
from assurance.directory import list_periods
from assurance.measures.framework import framework
from assurance.reference import population
from tests.pages.helpers import open_page, texts


def _submit(at, label):
    next(b for b in at.button if b.label == label).click()
    return at.run()


def _admin_changes(url):
    return audit.search(get_engine(url), action="admin change")


def test_partners_page_lists_and_adds_a_partner(demo_copy_url, config_copy):
    at = open_page("pages/admin_partners.py", role="admin")
    partners = at.dataframe[0].value
    with get_engine(demo_copy_url).connect() as c:
        assert len(partners) == c.scalar(select(func.count()).select_from(Partner))
    assert "Demo Shire Police" in set(partners["Name"])
    code = next(t for t in at.text_input if t.label == "Code")
    code.input("HOSP")
    next(t for t in at.text_input if t.label == "Name").input("Demo Hospice")
    next(s for s in at.selectbox if s.label == "Type").select("Voluntary")
    next(m for m in at.multiselect if m.label == "Returns it makes").select("assurance")
    at = _submit(at, "Save partner")
    assert not at.exception and at.success[0].value == "Partner added."
    assert config.board().partner("HOSP").name == "Demo Hospice"
    with get_engine(demo_copy_url).connect() as c:
        assert c.scalar(select(Partner.returns).where(Partner.code == "HOSP")) == "assurance"
    assert list(_admin_changes(demo_copy_url)["Target"]) == ["partner: HOSP"]


def test_periods_page_changes_a_due_date(demo_copy_url):
    at = open_page("pages/admin_periods.py", role="admin")
    periods = list_periods(get_engine(demo_copy_url))
    assert len(at.dataframe[0].value) == len(periods)
    latest = periods[-1]
    assert at.selectbox(key="adm-period").value == latest.label
    new_due = latest.due + timedelta(days=7)
    at.date_input[0].set_value(new_due)
    at = _submit(at, "Save the due date")
    assert f"now due by {new_due:%d %B %Y}" in at.success[0].value
    assert list_periods(get_engine(demo_copy_url))[-1].due == new_due
    details = json.loads(_admin_changes(demo_copy_url)["Details"].iloc[0])
    assert details == {"due": [str(latest.due), str(new_due)]}


def test_targets_page_changes_a_target(demo_copy_url, config_copy):
    at = open_page("pages/admin_targets.py", role="admin")
    shown = at.dataframe[0].value.set_index("id")
    old = framework().get("msp_asked")
    assert shown.loc["msp_asked", "Latest target"] == f"{old.target:g}" and shown.loc["msp_asked", "Since"] == "the start"
    at.selectbox(key="adm-measure").select("msp_asked").run()
    quarters = at.selectbox(key="adm-from").options
    assert at.selectbox(key="adm-from").value == quarters[0]  # the latest quarter by default
    at.number_input[0].set_value(90.0)
    at.number_input[1].set_value(2.5)
    at.selectbox(key="adm-from").select(quarters[1])
    at = _submit(at, "Save target")
    assert not at.exception
    assert (framework().get("msp_asked").target, framework().get("msp_asked").tolerance) == (90.0, 2.5)
    assert framework().get("msp_asked").target_for(quarters[2]) == (old.target, old.tolerance)
    history = at.dataframe[1].value
    assert history.values.tolist() == [["the start", f"{old.target:g}", f"{old.tolerance:g}"], [quarters[1], "90", "2.5"]]
    assert list(_admin_changes(demo_copy_url)["Target"]) == ["framework target: msp_asked"]


def test_baseline_page_shows_and_changes_the_baseline(demo_copy_url, config_copy):
    at = open_page("pages/admin_baseline.py", role="admin")
    shown = texts(at)
    assert "In use:** Luton" in shown and f"{population.adults('Luton'):,}" in shown
    next(s for s in at.selectbox if s.label == "Area").select("England")
    at = _submit(at, "Save baseline")
    assert at.success[0].value == "Baseline: England." and config.board().population_area == "England"
    at.toggle[0].set_value(True)
    at = _submit(at, "Save")
    assert config.board().publication_mode
    assert list(_admin_changes(demo_copy_url)["Target"].str.split(":").str[0]) == ["publication mode", "population baseline"]


def test_audit_trail_page_checks_the_chain(engine):
    from sqlalchemy import text

    from tests.access.test_audit_chain import behind_the_triggers

    audit.record(engine, "ann", audit.EXPORT, "overview.csv")
    at = open_page("pages/admin_audit.py", role="admin")
    at = _submit(at, "Check the trail")
    assert at.success[0].value.startswith("The audit trail is intact: 2 events, chain checked from 1 to 2.")
    with behind_the_triggers(engine) as c:
        c.execute(text("UPDATE audit_events SET actor = 'bob' WHERE id = 1"))
    at = _submit(at, "Check the trail")
    assert not at.success and at.error[0].value.startswith("The audit trail is broken at event 1 (recorded ")
    assert "altered" in at.error[0].value


def test_users_page_shows_a_locked_account(engine):
    from datetime import datetime

    from assurance.access.accounts import authenticate
    from assurance.access.settings import AuthSettings
    from tests.pages.helpers import user_for_role

    from assurance.access.accounts import update_user
    from tests.access.conftest import ADMIN

    user_for_role("qa")
    update_user(engine, ADMIN, "qa", password="kettle harbour violet")
    for _ in range(5):
        authenticate(engine, "qa", "not the password", settings=AuthSettings(max_failed_sign_ins=5))
    at = open_page("pages/admin_users.py", role="admin")
    warning = next(w.value for w in at.warning if w.value.startswith("Locked"))
    assert warning.startswith("Locked after too many failed sign-ins: qa (until ")
    until = at.dataframe[0].value.set_index("Username").loc["qa", "Locked until"]
    assert datetime.strptime(until, "%d/%m/%Y %H:%M") > datetime.now().replace(second=0, microsecond=0)
    assert list(audit.search(engine, action=audit.LOCKED_OUT)["Target"]) == ["qa"]
