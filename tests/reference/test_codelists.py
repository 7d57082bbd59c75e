import pytest

from assurance.reference.codelists import age_band_for, broad_ethnicity, codelist, codelists, ethnicity_broad_map


def test_exact_national_labels():
    assert codelist("type_of_risk").values == (
        "Physical Abuse", "Sexual Abuse", "Psychological Abuse", "Financial or Material Abuse", "Discriminatory Abuse",
        "Organisational Abuse", "Neglect and Acts of Omission", "Domestic Abuse", "Sexual Exploitation",
        "Modern Slavery", "Self-Neglect",
    )
    assert len(codelist("location_of_risk").values) == 9
    assert codelist("source_of_risk").values == ("Service Provider", "Other - Known to individual", "Other - Unknown to individual")
    assert len(codelist("risk_assessment_outcome").values) == 7
    assert codelist("gender").values == ("Male", "Female", "Not Known")
    assert codelist("age_band").values[:5] == ("18-64", "65-74", "75-84", "85-94", "95+")
    assert len(codelist("ethnicity_detailed").values) == 20  # 18 groups + Refused + Undeclared / Not known


@pytest.mark.parametrize(
    "key,typed,label",
    [
        ("type_of_risk", "Neglect & Acts of Omission", "Neglect and Acts of Omission"),
        ("type_of_risk", "Self Neglect", "Self-Neglect"),
        ("type_of_risk", "  self-neglect ", "Self-Neglect"),
        ("type_of_risk", "FINANCIAL OR MATERIAL ABUSE", "Financial or Material Abuse"),
        ("type_of_risk", "Financial abuse", "Financial or Material Abuse"),
        ("gender", "F", "Female"),
        ("gender", "female", "Female"),
        ("gender", "m", "Male"),
        ("location_of_risk", "Care Home – Nursing".replace("–", "-"), "Care Home - Nursing"),
        ("location_of_risk", "care home residential", "Care Home - Residential"),
        ("ethnicity_detailed", "A2", "Pakistani"),
        ("ethnicity_detailed", "w1", "White: English / Welsh / Scottish / Northern Irish / British"),
        ("ethnicity_detailed", "NS", "Undeclared / Not known"),
        ("ethnicity_detailed", "White: Roma", "Any other White background"),
        ("risk_assessment_outcome", "Enquiry ceased at individuals request and no action taken",
         "Enquiry ceased at individual's request and no action taken"),
        ("msp_asked", "Yes, they were asked and outcomes were expressed", "Yes they were asked and outcomes were expressed"),
        ("concern_outcome", "S42", "Section 42 enquiry"),
    ],
)
def test_variants_map_to_the_national_label(key, typed, label):
    assert codelist(key).match(typed) == label


def test_unknown_values_are_not_guessed_but_suggested():
    risk = codelist("type_of_risk")
    assert risk.match("Financial or Materiel Abuse") is None
    assert risk.suggest("Financial or Materiel Abuse") == "Financial or Material Abuse"
    assert risk.match("") is None and risk.match(None) is None


def test_every_synonym_points_at_a_label():
    for cl in codelists().values():
        for variant in cl.synonyms:
            assert cl.match(variant) in cl.values


def test_detailed_to_broad_ethnicity():
    m = ethnicity_broad_map()
    assert set(m) == set(codelist("ethnicity_detailed").values)
    assert set(m.values()) == set(codelist("ethnicity_broad").values)
    assert m["Chinese"] == "Asian / Asian British"
    assert m["Arab"] == "Other Ethnic Group"
    assert broad_ethnicity("B1") == ("Caribbean", "Black / African / Caribbean / Black British")
    assert broad_ethnicity("Asian") == (None, "Asian / Asian British")  # broad group alone is accepted
    assert broad_ethnicity("Martian") == (None, None)


@pytest.mark.parametrize("age,band", [(17, None), (18, "18-64"), (64, "18-64"), (65, "65-74"), (84, "75-84"), (85, "85-94"), (94, "85-94"), (95, "95+"), (103, "95+")])
def test_age_bands(age, band):
    assert age_band_for(age) == band


@pytest.mark.parametrize("key,typed,suggested", [
    ("type_of_risk", "Phyiscal Abuse", "Physical Abuse"),
    ("type_of_risk", "Financal Abuse", "Financial or Material Abuse"),
    ("type_of_risk", "Financial abuse", "Financial or Material Abuse"),
    ("type_of_risk", "Sexual abuse online", "Sexual Abuse"),
    ("type_of_risk", "Material", "Financial or Material Abuse"),
    ("gender", "Femail", "Female"),
    ("concern_outcome", "Section 24 enquiry", "Section 42 enquiry"),
    ("ethnicity_detailed", "Martian", None),
    ("ethnicity_broad", "Martian", None),
    ("type_of_risk", "Cyber abuse", None),
    ("type_of_risk", "Verbal abuse", None),
    ("type_of_risk", "abuse", None),
])
def test_suggestions_help_and_do_not_mislead(key, typed, suggested):
    assert codelist(key).suggest(typed) == suggested


def test_lists_with_the_same_values_keep_their_own_synonyms():
    from assurance.reference.codelists import Codelist

    a = Codelist("measure_code", "Measure code", ("x",), {"Old name": "x"})
    b = Codelist("measure_code", "Measure code", ("x",), {"New name": "x"})
    assert a.match("Old name") == "x" and b.match("New name") == "x" and b.match("Old name") is None
