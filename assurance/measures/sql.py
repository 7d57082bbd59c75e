"""Date arithmetic that SQLite and PostgreSQL spell differently."""

from sqlalchemy import Date, Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import FunctionElement


class days_before(FunctionElement):  # noqa: N801 - reads like SQL
    """`days_before(day, n)`: the date n days before day."""

    type = Date()
    inherit_cache = True

    def __init__(self, day, n: int):
        self.n = int(n)
        super().__init__(day)


@compiles(days_before, "sqlite")
def _days_before_sqlite(element, compiler, **kw):
    (day,) = list(element.clauses)
    return f"date({compiler.process(day, **kw)}, '-{element.n} days')"


@compiles(days_before)
def _days_before_default(element, compiler, **kw):
    (day,) = list(element.clauses)
    return f"({compiler.process(day, **kw)} - {element.n})"


class days_between(FunctionElement):  # noqa: N801
    """`days_between(later, earlier)`: calendar days from earlier to later."""

    type = Integer()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)}) AS INTEGER)"


@compiles(days_between)
def _days_between_default(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"
