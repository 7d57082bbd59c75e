from pathlib import Path

import pytest

from assurance.access.pages import PageRule
from assurance.access.accounts import AccountError, UserInfo, create_user, update_user
from assurance.access.roles import (
    PERMISSIONS,
    ROLES,
    AccessDenied,
    can,
    can_use,
    must_suppress,
    partner_scope,
    require,
)
from tests.access.conftest import ADMIN

ROOT = Path(__file__).resolve().parents[2]
OWN, OTHER = 2, 7

# The matrix written out by hand from the issue. "own" = only for the user's own partner.
Y, N, O = "yes", "no", "own"
MATRIX = {
    #                      analyst qa chair lead admin
    "view_figures":        (O, Y, Y, O, Y),
    "view_unsuppressed":   (N, Y, Y, N, N),
    "view_returns":        (O, Y, Y, N, Y),
    "upload_returns":      (O, Y, Y, N, Y),
    "view_challenges":     (O, Y, Y, O, N),
    "raise_challenges":    (N, Y, Y, N, N),
    "write_commentary":    (N, Y, Y, N, N),
    "respond_challenges":  (N, Y, Y, O, N),
    "close_challenges":    (N, N, Y, N, N),
    "board_packs":         (N, N, Y, N, N),
    "issue_packs":         (N, N, Y, N, N),
    "view_actions":        (O, Y, Y, O, Y),
    "edit_actions":        (N, Y, Y, N, Y),
    "manage_partners":     (N, N, N, N, Y),
    "manage_users":        (N, N, N, N, Y),
    "manage_periods":      (N, N, N, N, Y),
    "manage_targets":      (N, N, N, N, Y),
    "manage_baseline":     (N, N, N, N, Y),
    "view_audit":          (N, N, N, N, Y),
}
ROLE_ORDER = ("analyst", "qa", "chair", "partner_lead", "admin")


def _user(role, active=True):
    partner = OWN if ROLES[role].partner_bound else None
    return UserInfo(1, role, role, role, partner, "X" if partner else None, active=active)


def test_the_matrix_covers_every_role_and_permission():
    assert set(MATRIX) == set(PERMISSIONS) and set(ROLE_ORDER) == set(ROLES)


@pytest.mark.parametrize("permission", sorted(MATRIX))
@pytest.mark.parametrize("role_index", range(5))
def test_permissions_matrix(permission, role_index):
    role = ROLE_ORDER[role_index]
    expected = MATRIX[permission][role_index]
    user = _user(role)
    assert can(user, permission, OWN) is (expected in (Y, O))
    assert can(user, permission, OTHER) is (expected == Y)
    assert can(user, permission, None) is (expected == Y)  # None = the whole Board
    assert can_use(user, permission) is (expected in (Y, O))
    assert not can(_user(role, active=False), permission, OWN)
    assert not can(None, permission, OWN)


def test_require_raises_in_plain_words():
    require(_user("chair"), "close_challenges")
    with pytest.raises(AccessDenied, match=r"Your role \(QA member\) does not allow you to close and reopen"):
        require(_user("qa"), "close_challenges")
    with pytest.raises(AccessDenied, match="for this partner"):
        require(_user("analyst"), "upload_returns", OTHER)
    with pytest.raises(AccessDenied, match="Nobody is signed in"):
        require(None, "view_figures")
    with pytest.raises(ValueError):
        can(_user("chair"), "launch_rockets")


def test_suppression_and_partner_scope():
    assert [must_suppress(_user(r)) for r in ROLE_ORDER] == [True, False, False, True, True]
    assert must_suppress(None)
    assert [partner_scope(_user(r)) for r in ROLE_ORDER] == [OWN, None, None, OWN, None]


def test_every_page_in_app_py_names_a_known_permission():
    from tests.pages.helpers import app_pages

    for rows in app_pages().values():
        for script, _title, _icon, permission, _fed_by in rows:
            assert permission in PERMISSIONS, script
    with pytest.raises(ValueError, match="Unknown permission"):
        PageRule("pages/x.py", "launch_rockets")


def test_only_administrators_manage_users(engine):
    chair = UserInfo(5, "chair", "Chair", "chair")
    with pytest.raises(AccessDenied):
        create_user(engine, chair, "eve", "Eve", "admin")
    create_user(engine, ADMIN, "eve", "Eve", "qa")
    with pytest.raises(AccessDenied):
        update_user(engine, chair, "eve", role_key="admin")


def test_partner_binding_rules(engine):
    with pytest.raises(AccountError, match="An analyst must be linked to one partner"):
        create_user(engine, ADMIN, "ann", "Ann", "analyst")
    with pytest.raises(AccountError, match="A chair sees every partner"):
        create_user(engine, ADMIN, "cat", "Cat", "chair", "POL")
    with pytest.raises(AccountError, match="no partner with code"):
        create_user(engine, ADMIN, "ann", "Ann", "analyst", "NOPE")
    ann = create_user(engine, ADMIN, "ann", "Ann", "analyst", "pol", "Ann@Police.Example")
    assert ann.partner_code == "POL" and ann.email == "ann@police.example"
    with pytest.raises(AccountError, match="already exists"):
        create_user(engine, ADMIN, "ANN", "Ann again", "qa")
    # Moving to a role that sees every partner drops the partner; back to analyst needs one again.
    assert update_user(engine, ADMIN, "ann", role_key="qa").partner_code is None
    with pytest.raises(AccountError, match="must be linked"):
        update_user(engine, ADMIN, "ann", role_key="analyst")
    assert update_user(engine, ADMIN, "ann", role_key="analyst", partner_code="LA").partner_code == "LA"


def test_an_administrator_cannot_lock_themself_out(engine):
    me = create_user(engine, ADMIN, "boss", "Boss", "admin")
    with pytest.raises(AccountError, match="your own"):
        update_user(engine, me, "boss", role_key="qa")
    with pytest.raises(AccountError, match="your own"):
        update_user(engine, me, "boss", active=False)
