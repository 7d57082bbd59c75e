"""Fixtures for the page tests."""

import pytest
import streamlit as st


@pytest.fixture
def fresh_caches():
    """Streamlit's caches emptied before and after the test, so no page sees another test's database."""
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()
