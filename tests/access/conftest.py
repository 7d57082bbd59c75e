from datetime import datetime

import pytest

from assurance.access.accounts import UserInfo, create_user

ADMIN = UserInfo(None, "setup", "setup", "admin")
NOW = datetime(2026, 11, 23, 10, 0, 0)


@pytest.fixture
def make_user(engine):
    """Create a user in the fresh test database: make_user("ann", "analyst", "POL", password="...")."""
    def make(username, role, partner=None, password=None, email=None):
        return create_user(engine, ADMIN, username, username.title(), role, partner, email, password)

    return make
