"""Chart details a reader notices."""

from assurance.charts import stacked_grades


def test_a_handful_of_audits_gets_whole_number_ticks():
    few = stacked_grades(["Recording", "Risk assessment"], {"Good": [2, 3], "Inadequate": [1, 0]}, "Grades")
    assert (few.layout.xaxis.dtick, few.layout.xaxis.tick0) == (1, 0)
    many = stacked_grades(["Recording"], {"Good": [30], "Inadequate": [4]}, "Grades")
    assert many.layout.xaxis.dtick is None  # plotly chooses the spacing
