"""Fixtures for the board tools' tests: the page tests' cache clearing is shared with tests/pages."""

from tests.pages.conftest import fresh_caches  # noqa: F401 - a fixture, used by name
