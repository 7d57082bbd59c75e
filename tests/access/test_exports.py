import io

import pandas as pd

from assurance.exports import safe_cell, safe_csv, safe_frame


def test_formula_starts_are_neutralised():
    hostile = ["=1+1", "+44 20 7946 0000", "-2+3", "@SUM(A1:A2)", "\t=cmd", "\r=cmd",
               '=HYPERLINK("http://x.invalid","click")']
    assert [safe_cell(v) for v in hostile] == ["'" + v for v in hostile]
    for plain in ("Demo Shire Police", "", " =not at start", "a=b", "'already quoted"):
        assert safe_cell(plain) == plain
    assert safe_cell(-3) == -3 and safe_cell(None) is None and safe_cell(2.5) == 2.5


def test_safe_frame_keeps_numbers_as_numbers():
    df = pd.DataFrame({"Partner": ["POL", "=cmd|' /C calc'!A0", "@x"], "Change": [-3, 4, -1],
                       "Rate": [-0.5, 1.25, None], "When": pd.to_datetime(["2026-01-01"] * 3)})
    out = safe_frame(df)
    assert list(out["Partner"]) == ["POL", "'=cmd|' /C calc'!A0", "'@x"]
    assert out["Change"].tolist() == [-3, 4, -1] and out["Change"].dtype == df["Change"].dtype
    assert out["Rate"].dtype == df["Rate"].dtype and out["When"].dtype == df["When"].dtype
    assert list(df["Partner"])[1].startswith("=")  # the original frame is untouched
    back = pd.read_csv(io.BytesIO(safe_csv(df)), encoding="utf-8-sig")
    assert list(back["Partner"]) == ["POL", "'=cmd|' /C calc'!A0", "'@x"] and back["Change"].tolist() == [-3, 4, -1]


def test_column_names_are_neutralised_too():
    assert list(safe_frame(pd.DataFrame({"=bad": [1], "ok": [2]})).columns) == ["'=bad", "ok"]


def test_excel_exports_keep_formula_text_as_text():
    from openpyxl import load_workbook

    from assurance.board.actions import frame_to_workbook

    wb = load_workbook(io.BytesIO(frame_to_workbook(pd.DataFrame({"Note": ["=1+1", "@x"]}), "Sheet")))
    cells = [c for c in wb.active["A"][1:]]
    assert [c.value for c in cells] == ["=1+1", "@x"] and all(c.data_type == "s" for c in cells)


def test_sheet_titles_are_valid_and_distinct_in_excel_terms():
    from assurance.exports import sheet_title

    taken = {"About"}
    titles = [sheet_title(t, taken) for t in ("Scorecard 2026-27 Q2", "scorecard 2026-27 q2", "x" * 40, "x" * 40,
                                              "[final]: a/b", "'quoted'", "", "about")]
    assert titles == ["Scorecard 2026-27 Q2", "scorecard 2026-27 q2 2", "x" * 31, "x" * 29 + " 2", "final ab",
                      "quoted", "Sheet", "about 2"]
    assert taken == {"About", *titles}
