"""Return-level rules: partner, period and type worked out and cross-checked; template version; volume."""

from datetime import date

from tests.returns.builders import AUDIT_HEADERS, activity_sheets, audit_sheets, measure_sheets
from tests.returns.conftest import where


def test_partner_and_period_from_the_file_name(check):
    report = check(measure_sheets(), "Police 2025-26 Q2.xlsx")
    assert (report.partner.code, report.period.label, report.return_type) == ("POL", "2025-26 Q2", "assurance")
    assert report.detected == {"type": "from the sheets", "partner": "from the file name", "period": "from the file name"}


def test_period_and_partner_from_the_dates_inside(check):
    report = check(activity_sheets(10), "concerns export.xlsx")
    assert (report.partner.code, report.period.label) == ("LA", "2025-26 Q2")
    assert report.detected["period"] == "from the dates in Concerns Date received"
    assert report.issues == []


def test_mismatches_are_errors(check):
    report = check(measure_sheets(), "Police 2025-26 Q2.xlsx", partner="ACU", period="2025-26 Q3")
    assert [i.rule for i in report.issues] == ["PARTNER_MISMATCH", "PERIOD_MISMATCH"]
    assert report.issues[0].message == ("You chose ACU (Demo University Hospitals NHS Trust), but the file name "
                                        "Police 2025-26 Q2.xlsx names POL (Demo Shire Police).")
    report = check(activity_sheets(10), "LA activity.xlsx", period="2025-26 Q1")
    assert "PERIOD_MISMATCH" in [i.rule for i in report.issues]
    assert "100% of the dates in Concerns Date received fall in 2025-26 Q2" in \
        next(i.message for i in report.issues if i.rule == "PERIOD_MISMATCH")


def test_partner_that_does_not_make_the_return(check):
    report = check(activity_sheets(5), "POL 2025-26 Q2.xlsx")
    assert where(report, "RETURN_NOT_EXPECTED") == [("RETURN_NOT_EXPECTED", None, None, None)]
    assert "it makes: assurance" in report.issues[0].message


def test_type_partner_period_unknown_or_not_open(check):
    assert [i.rule for i in check({"Stuff": [["x", "y"], [1, 2]]}, "mystery.xlsx").issues] == ["TYPE_UNKNOWN"]
    report = check(measure_sheets(), "measures.xlsx")
    assert [i.rule for i in report.issues] == ["PARTNER_UNKNOWN", "PERIOD_UNKNOWN"]
    report = check(measure_sheets(), "POL 2030-31 Q1.xlsx")
    assert [i.rule for i in report.issues] == ["PERIOD_NOT_OPEN"]


def test_type_chosen_against_the_file(check):
    report = check(measure_sheets(), "POL 2025-26 Q2.xlsx", return_type="audit")
    assert report.issues[0].rule == "TYPE_MISMATCH"


def test_older_template_is_a_query(check):
    sheets = measure_sheets()
    report = check(_with_info(sheets, "2025.1"), "POL 2025-26 Q2.xlsx")
    assert where(report) == [("OLD_TEMPLATE", None, None, None)]
    assert report.issues[0].message == "The file was made from template version 2025.1; the current version is 2026.1."
    assert check(_with_info(sheets, "2026.1"), "POL 2025-26 Q2.xlsx").issues == []


def _with_info(sheets, version):
    from tests.returns.builders import xlsx

    return xlsx(sheets, hidden={"Template info": [["Return type", "assurance"], ["Template version", version]]})


def test_volume_far_from_history_is_a_query(load, check):
    base = audit_sheets()["Audits"]
    for q in ("2024-25 Q3", "2024-25 Q4", "2025-26 Q1"):
        from assurance.periods import Period

        p = Period.parse(q)
        rows = [AUDIT_HEADERS] + [[f"AUD-{k}", f"CASE-{k}", date(p.start.year, p.start.month, 10), "Theme", "POL",
                                   *["Good"] * 7, None, None] for k in range(10)]
        assert load({"Audits": rows}, f"SAB {q}.xlsx").loaded
    report = check({"Audits": base}, "SAB 2025-26 Q2.xlsx")  # 2 rows against an average of 10
    assert where(report) == [("VOLUME_UNUSUAL", None, None, None)]
    assert report.issues[0].message == ("This return has 2 rows, 80% fewer than the average of 10 in SAB's last 3 "
                                        "accepted audit returns (2024-25 Q3 to 2025-26 Q1).")
    one = check({"Audits": base[:2]}, "SAB 2025-26 Q2.xlsx")
    assert one.issues[0].message.startswith("This return has 1 row, 90% fewer than the average of 10")


def test_file_name_naming_two_partners_is_not_guessed(check):
    report = check(measure_sheets(), "Police care 2025-26 Q3.xlsx")  # Police (POL's type) and CARE (a code)
    assert report.partner is None
    assert [i.rule for i in report.issues] == ["PARTNER_UNKNOWN"]
    assert report.issues[0].message == ("The file name Police care 2025-26 Q3.xlsx names more than one partner "
                                        "(POL (Demo Shire Police) and CARE (Demo Care Providers Forum)), so the "
                                        "partner was not guessed.")
    assert report.issues[0].suggestion.startswith("Choose the partner")
    chosen = check(measure_sheets(), "Police care 2025-26 Q3.xlsx", partner="POL")
    assert chosen.partner.code == "POL" and chosen.issues == []
    other = check(measure_sheets(), "Police care 2025-26 Q3.xlsx", partner="ACU")
    assert [i.rule for i in other.issues] == ["PARTNER_MISMATCH"]


def test_partner_codes_and_names_in_the_file_name_are_whole_words(check):
    # 'Demo Integrated Care Board' is ICB's name: CARE (a code) and Board (SAB's type) inside it do not count
    assert check(measure_sheets(), "Demo Integrated Care Board 2025-26 Q2.xlsx").partner.code == "ICB"
    assert check(measure_sheets(), "Carers forum POL 2025-26 Q2.xlsx").partner.code == "POL"  # 'Carers' is not CARE
    assert check(measure_sheets(), "FIRE_2025-26_Q2.xlsx").partner.code == "FIRE"
