"""The national labels the measures test for are written once, in assurance.reference.codelists, and checked there
against data/codelists.toml."""

import re
from pathlib import Path

import pytest

from assurance.reference import codelists

ROOT = Path(__file__).resolve().parents[2]
# The product's own words for a blank cell and its column headings, which happen to match a label of some codelist.
OWN_WORDS = {"Not recorded", "Not applicable", "Not known", "Refused"}


@pytest.mark.parametrize("path, allowed", [
    ("assurance/measures/definitions.py", set()), ("assurance/measures/compute.py", set()),
    ("assurance/measures/figures.py", set()), ("assurance/measures/framework.py", set()),
    ("pages/concerns.py", set()), ("pages/outcomes.py", set()), ("assurance/analysis/breakdowns.py", OWN_WORDS),
])
def test_no_national_label_is_typed_outside_reference(path, allowed):
    national = {v for cl in codelists.codelists().values() for v in cl.values}
    typed = set(re.findall(r'"([^"\n]+)"', (ROOT / path).read_text())) & national
    assert typed <= allowed, f"{path} types national labels: {sorted(typed - allowed)}"


def test_a_label_the_codelist_does_not_hold_is_refused():
    assert codelists.label("risk_outcome", "Risk reduced") == "Risk reduced"
    with pytest.raises(ValueError, match=r"\[risk_outcome\] has no label 'Risk lowered'"):
        codelists.label("risk_outcome", "Risk lowered")


def test_a_measure_only_some_partner_types_make_is_not_among_the_others_figures():
    """The framework's partner_types decide the figures as they decide the template and the queries: the police make
    no DoLS applications, so their figures leave the measure out rather than show it as not collected."""
    from assurance.directory import PartnerInfo
    from assurance.measures.compute import applies
    from assurance.measures.framework import load_framework
    from assurance.paths import DEFAULTS_DIR

    dols = load_framework(DEFAULTS_DIR / "framework.toml").get("dols_applications")
    police = PartnerInfo(1, "POL", "Demo Shire Police", "Police", ("assurance",))
    council = PartnerInfo(2, "LA", "Demo Borough Council", "Local authority", ("activity", "assurance"))
    assert "Police" not in dols.partner_types
    assert not applies(dols, police)
    assert applies(dols, council)
