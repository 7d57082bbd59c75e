"""Each role's boundaries through the app itself (AppTest): refusals, the forced partner, challenge actions."""

import re
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest
from sqlalchemy import func, select

from assurance.access import audit
from assurance.access.roles import ROLES
from assurance.board import challenges as ch
from assurance.db.engine import get_engine
from assurance.db.models import Concern, Partner, ReportingPeriod
from assurance.disclosure import figure_counts, figure_text, publish_count
from assurance.measures.compute import compute_figures
from streamlit.testing.v1 import AppTest

from tests.pages.helpers import APP, ROOT, app_pages, open_page, open_script, sign_in, texts, user_for_role
from assurance.access.pages import PageRule, may_see
from assurance.returns.specs import all_specs

BOARD_PAGES = ["pages/overview.py", "pages/partner_view.py", "pages/challenges.py", "pages/actions.py",
               "pages/submissions.py"]
ADMIN_PAGES = ["pages/admin_partners.py", "pages/admin_periods.py", "pages/admin_targets.py", "pages/admin_baseline.py",
               "pages/admin_users.py", "pages/admin_audit.py"]


def test_navigation_lists_only_what_each_role_may_use():
    table = app_pages()
    rules = [PageRule(script, permission, fed_by) for rows in table.values() for script, _t, _i, permission, fed_by in rows]
    board = {"overview", "concerns", "demographics", "outcomes", "audits", "downloads", "partner_view", "challenges",
             "actions", "submissions", "upload"}
    activity = {"concerns", "demographics", "outcomes"}  # fed by the council's activity return only
    expected = {
        ("analyst", ("activity", "assurance")): board,
        ("analyst", ("assurance",)): board - activity,
        ("partner_lead", ("assurance",)): board - activity - {"submissions", "upload"},
        ("qa", ()): board,
        ("chair", ()): board | {"board_pack"},
        ("admin", ()): board - {"challenges"} | {p.split("/")[1][:-3] for p in ADMIN_PAGES},
    }
    for (role, returns), names in expected.items():
        user = SimpleNamespace(role=role, partner_id=2 if ROLES[role].partner_bound else None, active=True)
        shown = {r.script.split("/")[1][:-3] for r in rules if may_see(r, user, returns)}
        assert shown == names, role
    unbound = SimpleNamespace(role="analyst", partner_id=None, active=True)  # misconfigured: no page at all
    assert not any(may_see(r, unbound) for r in rules)
    returns = {spec.type for spec in all_specs()}
    assert {t for r in rules for t in (r.fed_by or ())} <= returns  # every return named is a real return type
    assert {p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py")} == {r.script for r in rules}


def test_a_partner_whose_returns_do_not_feed_a_page_is_not_shown_it(demo_url):
    police = user_for_role("analyst")
    at = sign_in(AppTest.from_file(APP, default_timeout=60), police).run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/demographics.py")
    council = user_for_role("analyst", "LA", "analyst.council")
    at = open_page("pages/demographics.py", user=council)
    assert at.title[0].value == "Demographics"


REFUSED = [(role, page) for role in ("analyst", "partner_lead", "qa", "chair") for page in ADMIN_PAGES] + [
    ("partner_lead", "pages/submissions.py"), ("admin", "pages/challenges.py")]


@pytest.mark.parametrize("role,page", REFUSED)
def test_a_role_without_permission_gets_a_refusal_not_the_page(demo_copy_url, role, page):
    user = user_for_role(role)
    at = sign_in(AppTest.from_file(APP, default_timeout=60), user).run()  # the default page, as after sign-in
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(page)  # not in this role's navigation, so no URL reaches it
    at = open_script(page, user)  # run on its own, the page routes through app.py's table: the default page
    title = next(t for rows in app_pages().values() for script, t, *_ in rows if script == page)
    assert [t.value for t in at.title] == ["Overview"] and title not in texts(at)


def test_a_page_app_py_hands_over_still_checks_its_rule(demo_copy_url):
    """The page's own check, behind the menu: a rule the user does not meet gets a plain, recorded refusal."""
    from ui import navigation

    user = user_for_role("analyst")
    rule = navigation.PageRule("pages/admin_users.py", "manage_users")
    at = AppTest.from_function(_run_with_rule, args=(str(ROOT / "pages/admin_users.py"), rule), default_timeout=60)
    sign_in(at, user).run()
    assert "does not allow you to" in at.error[0].value and ROLES["analyst"].label in at.error[0].value
    assert not at.title and not at.dataframe and not at.text_input and not at.form
    refused = audit.search(get_engine(demo_copy_url), action=audit.ACCESS_REFUSED)
    assert list(refused["Target"]) == ["pages/admin_users.py"] and list(refused["Who"]) == [user.username]


def _run_with_rule(script, rule):
    import runpy

    from ui import navigation

    navigation.hand_over(rule)
    runpy.run_path(script)


@pytest.mark.parametrize("role", ["qa", "chair", "admin"])
def test_board_wide_roles_see_every_partner(demo_url, role):
    at = open_page("pages/submissions.py", role=role)
    partner = at.sidebar.selectbox(key="partner")
    assert not partner.disabled and len(partner.options) == 13 and partner.value == "All partners"
    assert len(set(at.dataframe[0].value["Partner"])) > 1


def _concerns(engine, label, code):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(Concern).join(ReportingPeriod).join(
            Partner, Partner.id == Concern.partner_id).where(ReportingPeriod.label == label, Partner.code == code))


def test_an_analyst_cannot_reach_another_partners_data(demo_url, demo_engine):
    at = open_page("pages/submissions.py", role="analyst")  # analyst.police, bound to POL
    partner = at.sidebar.selectbox(key="partner")
    assert partner.disabled and partner.options == ["Demo Shire Police (POL)"] and partner.value == "POL"
    assert set(at.dataframe[0].value["Partner"]) == {"Demo Shire Police"}
    # A partner chosen in the session beforehand (as a forged widget value would be) and a query parameter
    # change nothing.
    at = sign_in(AppTest.from_file(APP, default_timeout=60), user_for_role("analyst"))
    at.session_state["partner"] = "LA"
    at.query_params["partner"] = "LA"
    at.run()
    at.switch_page("pages/submissions.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="partner").value == "POL"
    assert set(at.dataframe[0].value["Partner"]) == {"Demo Shire Police"}
    # The figures are POL's (no activity return: no concerns), never the council's.
    label = at.sidebar.selectbox(key="period").value
    assert _concerns(demo_engine, label, "LA") > 0 and _concerns(demo_engine, label, "POL") == 0
    at.switch_page("pages/overview.py").run()
    assert "Demo Shire Police" in texts(at) and "the whole Board" not in texts(at)
    measures = set().union(*(set(d.value["Measure"]) for d in at.dataframe))
    trained = compute_figures(demo_engine, "POL").get("staff_trained", label)
    assert trained.name in measures and "Safeguarding concerns received" not in measures  # POL's, in publication mode
    assert "Publication mode: small numbers suppressed." in texts(at)
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/concerns.py")  # the police make no activity return: the page is not theirs
    # The council's analyst sees the council's figures, suppressed and rounded.
    la = user_for_role("analyst", partner="LA", username="analyst.council")
    at = open_page("pages/overview.py", user=la)
    rows = pd.concat([d.value for d in at.dataframe]).set_index("Measure")
    assert rows.loc["Safeguarding concerns received", "Value"] == f"{publish_count(_concerns(demo_engine, label, 'LA')):,}"


def test_partner_view_of_a_partner_lead_is_their_own(demo_url, demo_engine):
    at = sign_in(AppTest.from_file(APP, default_timeout=60), user_for_role("partner_lead"))
    at.session_state["partner"] = "POL"
    at.query_params["partner"] = "POL"
    at.run()
    at.switch_page("pages/partner_view.py").run()
    assert not at.exception
    assert at.subheader[0].value == "Demo Ambulance Service NHS Trust"
    # AMB's own figures, in publication mode (a partner lead is outside the QA subgroup).
    label = at.sidebar.selectbox(key="period").value
    trained = compute_figures(demo_engine, "AMB").get("staff_trained", label)
    shown = at.dataframe[0].value.set_index("Measure")
    assert shown.loc[trained.name, "Value"] == figure_text(trained, True)
    assert shown.loc[trained.name, "Counts"] == figure_counts(trained, True)
    # Where AMB ranks, but no chart naming the other partners' figures.
    assert re.fullmatch(r"\d+ of \d+", shown.loc[trained.name, "Rank among partners"])
    assert not [s for s in at.selectbox if s.label == "Compare with the other partners"] and not at.get("plotly_chart")


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_challenge_permissions_by_role(demo_copy_url):
    engine = get_engine(demo_copy_url)
    amb = ch.raise_challenge(engine, partner_code="AMB", question="Why did training fall?", by=user_for_role("qa"),
                             evidence=ch.Evidence(), source="partner view")
    pol = ch.raise_challenge(engine, partner_code="POL", question="Police: supervision?", by=user_for_role("qa"),
                             evidence=ch.Evidence(), source="partner view")
    labels = lambda at: {b.label for b in at.button}  # noqa: E731

    partner_ids = dict(engine.connect().execute(select(Partner.code, Partner.id)).all())
    amb_log = set(ch.challenge_log(engine, date.today(), partner_id=partner_ids["AMB"])["No."])
    pol_log = set(ch.challenge_log(engine, date.today(), partner_id=partner_ids["POL"])["No."])
    assert amb in amb_log and pol in pol_log and not amb_log & pol_log

    # Partner lead (AMB): sees only AMB's challenges, may respond, may not close or raise.
    at = open_page("pages/challenges.py", role="partner_lead")
    assert set(at.dataframe[0].value["No."]) == amb_log
    at.selectbox(key="ch-pick").select(amb).run()
    assert "Record response" in labels(at) and "Close challenge" not in labels(at) and "Raise challenge" not in labels(at)
    at.text_area[0].input("Training recovery plan in place.")
    _button(at, "Record response").click()
    at.run()
    assert ch.challenge_log(engine, date.today()).set_index("No.").loc[amb, "Status"] == "responded"

    # Analyst (POL): reads their partner's challenges only; no buttons that change anything.
    at = open_page("pages/challenges.py", role="analyst")
    assert set(at.dataframe[0].value["No."]) == pol_log
    assert not labels(at) & {"Record response", "Close challenge", "Raise challenge", "Reopen challenge"}
    assert "read this challenge but not change it" in texts(at)

    # QA member: may raise and respond, not close.
    at = open_page("pages/challenges.py", partner="AMB", role="qa")
    at.selectbox(key="ch-pick").select(amb).run()
    assert "Raise challenge" in labels(at) and "Record response" in labels(at) and "Close challenge" not in labels(at)

    # Chair: closes, then reopens.
    at = open_page("pages/challenges.py", partner="AMB", role="chair")
    at.selectbox(key="ch-pick").select(amb).run()
    _button(at, "Close challenge").click()
    at.run()
    assert ch.challenge_log(engine, date.today()).set_index("No.").loc[amb, "Status"] == "closed"
    next(t for t in at.text_input if t.label == "Why reopen it?").input("New evidence")
    _button(at, "Reopen challenge").click()
    at.run()
    assert ch.challenge_log(engine, date.today()).set_index("No.").loc[amb, "Status"] == "open"

    events = audit.search(engine)
    changes = events[events["Target"] == f"challenge {amb}"].iloc[::-1]
    assert list(zip(changes["Who"], changes["Action"], changes["Target"])) == [
        ("qa", audit.CHALLENGE_RAISED, f"challenge {amb}"),
        ("lead.ambulance", audit.CHALLENGE_RESPONDED, f"challenge {amb}"),
        ("chair", audit.CHALLENGE_CLOSED, f"challenge {amb}"),
        ("chair", audit.CHALLENGE_REOPENED, f"challenge {amb}"),
    ]
    from assurance.access.accounts import find_user  # the history names people as the users table does
    names = [find_user(engine, u).name for u in ("qa", "lead.ambulance", "chair", "chair")]
    assert list(ch.history(engine, amb)["Who"]) == names


def test_raising_a_challenge_is_audited(demo_copy_url):
    engine = get_engine(demo_copy_url)
    at = open_page("pages/challenges.py", partner="POL", role="qa")
    at.text_area(key="q-log").input("Why are DoLS applications down?")
    _button(at, "Raise challenge").click()
    at.run()
    raised = audit.search(engine, action=audit.CHALLENGE_RAISED)
    raised = raised[raised["Details"].str.contains('"partner": "POL"')]  # the demo's own are to other partners
    assert list(raised["Who"]) == ["qa"] and '"partner": "POL"' in raised.iloc[0]["Details"]


def test_actions_are_read_only_for_analysts_and_partner_leads(demo_url):
    for role in ("analyst", "partner_lead"):
        at = open_page("pages/actions.py", role=role)
        assert not at.form and not at.file_uploader and "Your role lets you read the actions" in texts(at)
    at = open_page("pages/actions.py", role="qa")
    assert at.form and at.file_uploader
