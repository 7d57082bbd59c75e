"""The presentation layer and the data bundle: what leaves is what the pages show, as the user would see it."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from assurance import views
from assurance.cli import main
from assurance.db.engine import get_engine
from assurance.directory import periods_with_data


def _r5(n: int) -> int:
    return (n + 2) // 5 * 5


def test_tables_command_writes_every_table_as_the_operator_sees_it(demo_url, tmp_path):
    engine = get_engine(demo_url)
    label = periods_with_data(engine)[-1].label
    assert main(["tables", "--period", label, "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "overview__scorecard-" + label.lower().replace(" ", "-") + ".csv" in names
    assert any(n.startswith("partner-view-pol__") for n in names) and "audits__audit-grades-by-domain.csv" in names
    # the operator, Board not in publication mode: exact counts, equal to the source counted independently
    ref = pd.read_csv(tmp_path / f"concerns-and-enquiries__referral-sources-{label.lower().replace(' ', '-')}.csv")
    from sqlalchemy import text

    with engine.connect() as c:
        truth = dict(c.execute(text(
            "SELECT COALESCE(referral_source, 'Not recorded'), COUNT(*) FROM concerns JOIN submissions s "
            "ON s.id = concerns.submission_id AND s.status = 'accepted' JOIN periods p ON p.id = concerns.period_id "
            "WHERE p.label = :l GROUP BY 1"), {"l": label}).all())
    assert dict(zip(ref["Referral source"], ref["Concerns"])) == truth


def test_as_a_partner_user_the_bundle_holds_their_partner_only_and_is_published(demo_url, tmp_path, capsys):
    engine = get_engine(demo_url)
    label = periods_with_data(engine)[-1].label
    assert main(["--as", "lead.ambulance", "tables", "--period", label, "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert not any(n.startswith("overview__") for n in names)
    assert [n for n in names if n.startswith("partner-view-")] == [f"partner-view-amb__scorecard-{label.lower().replace(' ', '-')}.csv"]
    from assurance.measures.compute import compute_figures

    truth = compute_figures(engine, "AMB").get("concerns_raised", label).numerator
    card = pd.read_csv(next(tmp_path.glob("*scorecard*.csv")), dtype=str).set_index("Measure")
    shown = card.loc["Safeguarding concerns raised by the agency", "Value"].replace(",", "")
    assert shown == ("[c]" if 1 <= truth <= 4 else str(_r5(truth)))
    assert main(["--as", "lead.ambulance", "tables", "--period", label, "--out", str(tmp_path), "--partner", "LA"]) == 1
    assert "AMB only" in capsys.readouterr().err


def test_the_zip_holds_the_same_tables(demo_url):
    engine = get_engine(demo_url)
    label = periods_with_data(engine)[-1].label
    tables = views.bundle_for(engine, label, None, "download")
    with zipfile.ZipFile(io.BytesIO(views.bundle_zip(tables))) as z:
        assert sorted(z.namelist()) == sorted(tables)
        first = sorted(tables)[0]
        assert z.read(first).decode("utf-8-sig").splitlines()[0].split(",")[0] == str(tables[first].columns[0])


def test_downloads_page_offers_the_bundle(demo_url):
    from tests.pages.helpers import open_page

    at = open_page("pages/downloads.py", role="qa")
    assert not at.exception
    at.button(key="dl-bundle-prepare").click().run()
    assert not at.exception
    listed = " ".join(m.value for m in at.markdown)
    assert "overview__scorecard" in listed and "audits__audit-findings.csv" in listed


def test_in_publication_mode_the_audits_page_lists_no_case_and_draws_the_bundle_tables(demo_url):
    """Counting a case-by-case list rebuilds the suppressed grade tables: published, only the summary is shown, and
    every table on the page is the bundle's table."""
    from tests.pages.helpers import open_page

    at = open_page("pages/audits.py", role="partner_lead")  # outside the QA subgroup: always published
    assert not at.exception
    shown = [d.value for d in at.dataframe]
    assert not any("Findings" in frame.columns or "Case" in frame.columns for frame in shown)
    label = at.sidebar.selectbox(key="period").value
    bundle = views.bundle_for(get_engine(demo_url), label, None, "download", partner=None)
    from assurance.directory import list_partners

    amb = next(p for p in list_partners(get_engine(demo_url)) if p.code == "AMB")
    own = views.bundle_for(get_engine(demo_url), label, None, "download", partner=amb)
    summary = own["audits__audit-findings.csv"]
    assert any(frame.reset_index(drop=True).astype(str).equals(summary.reset_index(drop=True).astype(str))
               for frame in shown)
    assert "audits__audit-findings.csv" in bundle


def test_published_views_convert_to_arrow_with_typed_columns(demo_url):
    """Published tables keep each column one type: pyarrow converts them as they are (no ArrowInvalid in the
    server log) and a column of counts is text throughout, so the page can right-align it."""
    import pyarrow as pa

    from assurance.directory import list_partners, list_periods

    engine = get_engine(demo_url)
    periods = list_periods(engine)
    period = periods_with_data(engine)[-1]
    period = next(p for p in periods if p.label == period.label)
    failures = []
    for v in views.period_views(engine, period, periods, None, list_partners(engine), True):
        for publish in (False, True):
            frame = v.shown(publish)
            try:
                pa.Table.from_pandas(frame, preserve_index=False)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                failures.append(f"{v.file_name} (published={publish}): {exc}")
    assert failures == [], "\n".join(failures)
