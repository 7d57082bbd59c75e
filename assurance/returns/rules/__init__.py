"""Validation rules: small named units, each with a code, a severity and a message a person can act on.

A rule is registered with `@rule(...)` (it has a check function run over a cleaned sheet, or over the return) or
with `declare(...)` (it is raised while reading or cleaning). Specs name the rules each sheet and the return use.
Checks are pure: a rule that needs the database (loaded concerns, earlier returns) names the facts it needs, and
`assurance.returns.facts` fetches them into the context before it runs.
"""

from assurance.returns.rules import activity, assurance, audit, cells, context, structure  # noqa: F401  (registers)
from assurance.returns.rules.registry import (MAX_ISSUES_PER_RULE_AND_COLUMN, MAX_VALUE_SHOWN, RULES, Context, Rule,
                                              declare, display, isin, plain_list, rule, run_rules, spec_rules)

__all__ = ["MAX_ISSUES_PER_RULE_AND_COLUMN", "MAX_VALUE_SHOWN", "RULES", "Context", "Rule", "declare", "display",
           "isin", "plain_list", "rule", "run_rules", "spec_rules"]
