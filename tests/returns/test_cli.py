"""The returns' commands: load (exit 0/1/2), submissions and template."""

import csv

from assurance.cli import main
from tests.returns.builders import activity_sheets, measure_sheets, xlsx
from tests.returns.conftest import snapshot


def test_load_prints_summary_and_every_issue(engine, tmp_path, capsys):
    good = tmp_path / "Police 2025-26 Q2.xlsx"
    good.write_bytes(xlsx(measure_sheets()))
    assert main(["load", str(good), "--user", "ann"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("LOADED    Partner assurance return POL 2025-26 Q2 from Police 2025-26 Q2.xlsx: 5 measures; "
                          "0 errors, 0 queries.")

    sheets = activity_sheets(6)
    sheets["Concerns"][2][6] = "Femail"
    bad = tmp_path / "LA 2025-26 Q2.xlsx"
    bad.write_bytes(xlsx(sheets))
    before = snapshot(engine)
    report = tmp_path / "issues.csv"
    assert main(["load", str(bad), "--report", str(report)]) == 1
    out = capsys.readouterr().out
    assert "REJECTED" in out and "Nothing was loaded" in out
    assert ("ERROR UNKNOWN_CODE                 LA 2025-26 Q2.xlsx, sheet Concerns, cell G3: Gender “Femail” is not in "
            "the gender list. Fix: Did you mean “Female”?") in out
    assert snapshot(engine)["concerns"] == before["concerns"] == 0
    rows = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert [(r["Rule"], r["Sheet"], r["Cell"], r["How to fix it"]) for r in rows] == [
        ("UNKNOWN_CODE", "Concerns", "G3", "Did you mean “Female”?")]


def test_a_file_that_is_not_a_spreadsheet_is_in_the_issues_report(engine, tmp_path, capsys):
    text = tmp_path / "LA 2025-26 Q2.xlsx"
    text.write_text("Concern ID,Person ID\nC1,P1\n", encoding="utf-8")
    report = tmp_path / "issues.csv"
    assert main(["load", str(text), "--report", str(report)]) == 1
    assert "is plain text, not an Excel workbook" in capsys.readouterr().out
    rows = list(csv.DictReader(report.open(encoding="utf-8-sig")))
    assert [(r["Severity"], r["Rule"], r["File"]) for r in rows] == [("error", "UNREADABLE_FILE", "LA 2025-26 Q2.xlsx")]
    assert "plain text" in rows[0]["Problem"] and rows[0]["How to fix it"].startswith("Save the return as .xlsx")


def test_load_usage_errors_exit_2(engine, tmp_path, capsys):
    assert main(["load", str(tmp_path / "missing.xlsx")]) == 2
    f = tmp_path / "x.xlsx"
    f.write_bytes(xlsx(measure_sheets()))
    assert main(["load", str(f), "--partner", "NOPE"]) == 2
    assert main(["load", str(f), "--period", "last spring"]) == 2
    assert "No partner with code 'NOPE'" in capsys.readouterr().err


def test_hostile_file_is_rejected_with_exit_1(engine, tmp_path, capsys):
    f = tmp_path / "POL 2025-26 Q2.xlsx"
    f.write_bytes(b"%PDF-1.4 not really a workbook")
    assert main(["load", str(f)]) == 1
    assert "POL 2025-26 Q2.xlsx is a PDF document, not a spreadsheet" in capsys.readouterr().out
    assert snapshot(engine)["submissions"] == 0


def test_load_a_folder_then_list_submissions(engine, tmp_path, capsys):
    (tmp_path / "POL 2025-26 Q2.xlsx").write_bytes(xlsx(measure_sheets()))
    (tmp_path / "ACU 2025-26 Q2.csv").write_text("Measure code,Numerator,Denominator\nstaff_trained,\"1,300\",1400\n"
                                                 "mca_training,1200,1400\nsupervision,200,300\nconcerns_raised,30,\n"
                                                 "dols_applications,4,\n", encoding="utf-8-sig")
    (tmp_path / "notes.txt").write_text("ignored")
    assert main(["load", str(tmp_path)]) == 0
    assert "2 of 2 returns loaded." in capsys.readouterr().out
    assert main(["submissions", "--period", "2025-26 Q2"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("2025-26 Q2: returns due 30 October 2025.")
    pol = next(line for line in out.splitlines() if line.startswith("POL "))
    assert "Partner assurance return" in pol and "accepted" in pol
    assert main(["submissions", "--period", "2025-26 Q2", "--history"]) == 0
    assert capsys.readouterr().out.count("accepted") == 2


def test_template_command(tmp_path, capsys):
    out = tmp_path / "activity.xlsx"
    assert main(["template", "activity", "--out", str(out)]) == 0
    assert out.stat().st_size > 5000
    assert "version 2026.1" in capsys.readouterr().out


def test_the_summary_counts_records_in_words_for_a_csv_too(engine, tmp_path, capsys):
    text = "Measure code,Numerator,Denominator\nstaff_trained,1500,1600\n"
    f = tmp_path / "POL 2025-26 Q2 assurance.csv"
    f.write_text(text, encoding="utf-8")
    main(["load", str(f)])
    assert "from POL 2025-26 Q2 assurance.csv: 1 measure; " in capsys.readouterr().out


def test_a_csv_cannot_carry_a_two_sheet_return_and_is_told_so(engine, tmp_path, capsys):
    concerns = activity_sheets(3)["Concerns"]
    f = tmp_path / "LA 2025-26 Q2.csv"
    f.write_text("\n".join(",".join("" if v is None else str(v) for v in row) for row in concerns) + "\n",
                 encoding="utf-8")
    assert main(["load", str(f), "--type", "activity"]) == 1
    out = capsys.readouterr().out
    assert ("The safeguarding activity return has 2 sheets (Concerns and Enquiries), and a CSV file holds only one, "
            "so this file cannot carry the enquiries. Fix: Send the return as an .xlsx workbook") in out
