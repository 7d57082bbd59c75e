"""The audit trail's details in words, for the events the Admin pages and sign-in write."""

import json

from assurance.admin_tables import Names, readable_details, readable_target

NAMES = Names(partners={"POL": "Demo Shire Police", "HOSP": "Demo Hospice"}, partner_ids={2: "Demo Shire Police"},
              measures={"msp_asked": "Adults asked about their desired outcomes"},
              pages={"pages/admin_users.py": "Users"})


def _words(action, details, target=None):
    return readable_details(json.dumps(details, default=str, sort_keys=True), action, target, NAMES)


def test_an_added_partner_reads_in_words():
    details = {"added": {"code": "HOSP", "name": "Demo Hospice", "type": "Voluntary", "returns": "assurance",
                         "active": True}}
    assert _words("admin change", details) == ("Added: Active: yes; Code: HOSP; Name: Demo Hospice; "
                                               "Returns: Partner assurance return; Type: Voluntary")
    assert readable_target("admin change", "partner: HOSP", NAMES) == "Partner: Demo Hospice (HOSP)"


def test_a_changed_user_reads_in_words():
    details = {"role": ["analyst", "qa"], "partner": ["POL", None], "unlocked": True, "password": "reset"}
    assert _words("user changed", details) == ("Partner: Demo Shire Police → all partners; Password: reset; "
                                               "Role: Analyst → QA member; Lockout cleared: yes")


def test_a_refused_sign_in_and_page_read_in_words():
    assert _words("sign-in failed", {"reason": "account locked", "locked until": "2026-12-01 04:30:00"}) == \
        "Locked until: 01/12/2026 04:30; Reason: account locked"
    assert readable_target("access refused", "pages/admin_users.py", NAMES) == "Users page"
    assert _words("access refused", {"needs": "manage_users"}) == "Needs permission: manage_users"


def test_a_recalculation_for_the_board_reads_in_words():
    assert readable_target("spc recalculation recorded", "msp_asked from 2025-26 Q3", NAMES) == \
        "Adults asked about their desired outcomes from 2025-26 Q3"
    assert _words("spc recalculation recorded", {"partner_id": None, "reason": "New recording system"}) == \
        "Partner: all partners; Reason: New recording system"
    assert _words("spc recalculation recorded", {"partner_id": 2, "reason": "x"}) == \
        "Partner: Demo Shire Police; Reason: x"
