"""Stored quarter figures follow the definitions: a new or changed definition is built for every quarter of a
database that already holds returns, at first use, on start-up, after a load and by `refresh-figures`.

Every expected figure is counted here with plain SQL over the accepted returns, not through the definitions.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import and_, func, select, text

from assurance.cli import main
from assurance.db.models import FigureBuild, QuarterlyFigure
from assurance.measures import definitions
from assurance.measures.compute import compute_figures
from assurance.measures.definitions import ONE, Definition, flag

qf = QuarterlyFigure.__table__
concern = definitions.c

NEW_MEASURE = """
[[measure]]
id = "police_referrals"
name = "Concerns raised by the police"
strand = "data"
numerator = "Concerns received whose referral source is the police"
denominator = "Concerns received"
polarity = "information"
unit = "%"
applies_to = "activity"
basis = "quarter"
"""


def by_quarter(engine, numerator_sql: str) -> dict[str, tuple[int, int]]:
    """Per quarter label: (rows meeting `numerator_sql`, all rows) of accepted concerns, counted directly."""
    sql = text(
        f"SELECT p.label, SUM(CASE WHEN {numerator_sql} THEN 1 ELSE 0 END), COUNT(*) FROM concerns c "
        "JOIN submissions s ON s.id = c.submission_id AND s.status = 'accepted' "
        "JOIN periods p ON p.id = c.period_id GROUP BY p.label"
    )
    with engine.connect() as conn:
        return {label: (int(n), int(d)) for label, n, d in conn.execute(sql)}


@pytest.fixture
def police_referrals(monkeypatch):
    """The new measure's SQL definition, registered as a developer would add it to definitions.py."""
    monkeypatch.setitem(definitions.DEFINITIONS, "police_referrals",
                        Definition("concerns", flag(concern.c.referral_source == "Police"), ONE))


@pytest.fixture
def with_new_entry(config_copy):
    _, framework_file = config_copy
    framework_file.write_text(framework_file.read_text() + NEW_MEASURE)
    return framework_file


def test_a_new_measure_needs_only_its_definition_and_framework_entry(demo_copy_url, police_referrals, with_new_entry):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    expected = by_quarter(engine, "c.referral_source = 'Police'")
    assert len(expected) == 12 and all(n > 0 for n, _ in expected.values())
    fs = compute_figures(engine)
    for label, (n, d) in expected.items():
        f = fs.get("police_referrals", label)
        assert (f.numerator, f.denominator) == (n, d), label
        assert f.value == pytest.approx(100 * n / d)
    la = compute_figures(engine, "LA")
    assert all(la.get("police_referrals", label).numerator == n for label, (n, _) in expected.items())


def test_a_changed_definition_is_rebuilt_at_first_use(demo_copy_url, monkeypatch):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    monkeypatch.setitem(definitions.DEFINITIONS, "conversion",
                        Definition("concerns", flag(concern.c.outcome == "Section 42 enquiry"), ONE))
    expected = by_quarter(engine, "c.outcome = 'Section 42 enquiry'")
    fs = compute_figures(engine)
    assert {label: (fs.get("conversion", label).numerator, fs.get("conversion", label).denominator)
            for label in expected} == expected


def test_unchanged_definitions_are_not_rebuilt(demo_copy_url):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    compute_figures(engine)
    with engine.connect() as conn:
        before = dict(conn.execute(select(FigureBuild.source, FigureBuild.built_at)).all())
        ids = conn.scalar(select(func.max(qf.c.id)))
    assert set(before) == {"concerns", "enquiries"}
    compute_figures(engine)
    with engine.connect() as conn:
        assert dict(conn.execute(select(FigureBuild.source, FigureBuild.built_at)).all()) == before
        assert conn.scalar(select(func.max(qf.c.id))) == ids  # no row written again


def test_start_up_rebuilds_a_changed_definition(demo_copy_url, monkeypatch, board):
    from assurance.db.bootstrap import init_database
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    monkeypatch.setitem(definitions.DEFINITIONS, "msp_asked", Definition(
        "enquiries", flag(and_(definitions.S42, definitions.e.c.msp_asked == "No")), flag(definitions.S42)))
    init_database(engine, board, today=date(2026, 11, 23))
    with engine.connect() as conn:
        stored = conn.scalar(select(func.sum(qf.c.numerator)).where(qf.c.definition == "msp_asked"))
        counted = conn.scalar(text(
            "SELECT COUNT(*) FROM enquiries e JOIN submissions s ON s.id = e.submission_id AND s.status = 'accepted' "
            "WHERE e.enquiry_type = 'Section 42' AND e.msp_asked = 'No'"))
    assert stored == counted > 0


def test_a_load_after_a_change_rebuilds_every_quarter(demo_copy_url, police_referrals):
    from assurance.db.engine import get_engine
    from assurance.measures.figures import refresh_after_load

    engine = get_engine(demo_copy_url)
    expected = by_quarter(engine, "c.referral_source = 'Police'")
    with engine.begin() as conn:
        last = conn.scalar(text("SELECT MAX(id) FROM periods"))
        refresh_after_load(conn, last)  # a load of the latest quarter
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT p.label, SUM(q.numerator) FROM quarterly_figures q JOIN periods p ON p.id = q.period_id "
            "WHERE q.definition = 'police_referrals' GROUP BY p.label")).all()
    assert dict(rows) == {label: n for label, (n, _) in expected.items()}


def test_refresh_figures_command(demo_copy_url, police_referrals, capsys):
    from assurance.db.engine import get_engine

    engine = get_engine(demo_copy_url)
    assert main(["refresh-figures"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("concerns: rebuilt for 12 quarters (") and "definitions changed since the last build)" in out
    assert "enquiries: rebuilt for 12 quarters (" in out and out.count("definitions unchanged") == 1
    with engine.connect() as conn:
        n = conn.scalar(select(func.sum(qf.c.numerator)).where(qf.c.definition == "police_referrals"))
        event = conn.execute(text("SELECT action, target FROM audit_events ORDER BY id DESC LIMIT 1")).one()
    assert n == sum(n for n, _ in by_quarter(engine, "c.referral_source = 'Police'").values())
    assert tuple(event) == ("cli command", "refresh-figures")
    assert main(["refresh-figures"]) == 0
    assert capsys.readouterr().out.count("definitions unchanged)") == 2


def test_refresh_figures_needs_an_administrator(demo_copy_url, capsys):
    from tests.pages.helpers import user_for_role

    user_for_role("analyst")
    assert main(["--as", "analyst.police", "refresh-figures"]) == 1
    assert "Refused" in capsys.readouterr().err


ASSURANCE_MEASURE = """
[[measure]]
id = "domestic_abuse_training"
name = "Staff trained in domestic abuse awareness"
strand = "quality"
numerator = "Staff with current domestic abuse awareness training"
denominator = "Staff who need it"
polarity = "higher"
target = 80.0
tolerance = 5.0
unit = "%"
applies_to = "assurance"
basis = "quarter"
"""


def test_a_new_assurance_measure_reaches_the_return_the_demo_and_the_figures(databases, board, config_copy, monkeypatch):
    from assurance.db.engine import get_engine
    from assurance.demo import DemoSpec, build_demo
    from assurance.returns.specs import get_spec
    from tests.conftest import TODAY

    _, framework_file = config_copy
    framework_file.write_text(framework_file.read_text() + ASSURANCE_MEASURE)
    monkeypatch.setitem(definitions.DEFINITIONS, "domestic_abuse_training",
                        definitions.assurance_figure("domestic_abuse_training", people=False))

    spec = get_spec("assurance")
    assert spec.measure("domestic_abuse_training").label == "Staff trained in domestic abuse awareness"
    assert spec.codelist("measure_code").match("Staff trained in domestic abuse awareness") == "domestic_abuse_training"

    engine = get_engine(databases.new())
    build_demo(engine, board, DemoSpec(seed=5, quarters=4, concerns_per_quarter=40, today=TODAY))
    with engine.connect() as conn:
        counted = {label: (n, d, rows) for label, n, d, rows in conn.execute(text(
            "SELECT p.label, SUM(a.numerator), SUM(a.denominator), COUNT(*) FROM assurance_measures a "
            "JOIN submissions s ON s.id = a.submission_id AND s.status = 'accepted' "
            "JOIN periods p ON p.id = a.period_id WHERE a.measure_code = 'domestic_abuse_training' GROUP BY p.label"))}
        returns = dict(conn.execute(text(
            "SELECT p.label, COUNT(*) FROM submissions s JOIN periods p ON p.id = s.period_id "
            "WHERE s.return_type = 'assurance' AND s.status = 'accepted' GROUP BY p.label")).all())
    assert {label: rows for label, (_, _, rows) in counted.items()} == returns and len(returns) == 4  # every return
    fs = compute_figures(engine)
    for label, (n, d, _) in counted.items():
        f = fs.get("domestic_abuse_training", label)
        assert (f.numerator, f.denominator) == (n, d) and f.rag is not None


def test_two_first_uses_at_once_rebuild_once(demo_copy_url, police_referrals):
    """Two processes' first pages after a change: one rebuilds, the other waits and finds it done."""
    import threading

    from assurance.db.engine import get_engine
    from assurance.measures.figures import ensure_current

    engine = get_engine(demo_copy_url)
    start, results, errors = threading.Barrier(2), [], []

    def first_use():
        start.wait()
        try:
            results.append(ensure_current(engine))
        except Exception as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    threads = [threading.Thread(target=first_use) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    assert sorted(results) == [[], ["concerns"]]
    with engine.connect() as conn:
        stored = dict(conn.execute(text(
            "SELECT p.label, SUM(q.numerator) FROM quarterly_figures q JOIN periods p ON p.id = q.period_id "
            "WHERE q.definition = 'police_referrals' GROUP BY p.label")).all())
    assert stored == {label: n for label, (n, _) in by_quarter(engine, "c.referral_source = 'Police'").items()}
