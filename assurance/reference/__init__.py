"""Reference data loaded from data/: national codelists, ethnicity map, population baselines."""
