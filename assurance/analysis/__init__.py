"""Analysis over the figures: representation against the population, SPC limits, breakdowns for the pages."""
