"""What a return spec says, as typed records: the return, its sheets, their columns, and its measures."""

from __future__ import annotations

from dataclasses import dataclass, field

from assurance.reference.codelists import Codelist, codelist


@dataclass(frozen=True)
class ColumnSpec:
    field: str
    header: str
    type: str  # a converter's name (assurance.returns.convert.CONVERTERS)
    synonyms: tuple[str, ...] = ()
    codelist: str | None = None
    mandatory: bool = True  # the column must be present
    blank_ok: bool = False  # cells may be left blank (only matters for mandatory columns)
    unique: bool = False
    dimension: str | None = None  # the child table's dimension for a `codes` column
    example: str = ""
    help: str = ""
    max_length: int | None = None
    not_offered: tuple[str, ...] = ()  # codelist values the template's drop-down leaves out (still recognised)
    store: tuple[str, ...] = ()  # the database columns the value fills (one per part the converter gives)
    child_table: str | None = None  # for a list of codes: the table that takes one row per code

    @property
    def required_cells(self) -> bool:
        return self.mandatory and not self.blank_ok

    @property
    def fill_in(self) -> str:
        """When a cell must be filled in, in plain words: 'Every row', 'When it applies' or 'Optional'."""
        return "Every row" if self.required_cells else ("When it applies" if self.mandatory else "Optional")

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.header, *self.synonyms)


@dataclass(frozen=True)
class SheetSpec:
    name: str
    table: str
    columns: tuple[ColumnSpec, ...]
    synonyms: tuple[str, ...] = ()
    description: str = ""
    rules: tuple[dict, ...] = ()
    unique_together: tuple[str, ...] = ()

    def column(self, field_name: str) -> ColumnSpec:
        for c in self.columns:
            if c.field == field_name:
                return c
        raise KeyError(f"sheet {self.name} has no column {field_name}")

    @property
    def id_column(self) -> ColumnSpec | None:
        """The column that names each row (the first unique reference), which child-table rows hang from."""
        return next((c for c in self.columns if c.unique and c.type == "id"), None)


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    label: str
    kind: str  # rate / count
    help: str = ""
    partner_types: tuple[str, ...] = ()  # the partner types that make it (the framework's); empty: every type

    def made_by(self, partner_type: str | None) -> bool:
        return not self.partner_types or partner_type is None or partner_type in self.partner_types


@dataclass(frozen=True)
class ReturnSpec:
    type: str
    title: str
    version: str
    sheets: tuple[SheetSpec, ...]
    made_by: str = ""
    description: str = ""
    file_name_words: tuple[str, ...] = ()
    period_from: tuple[tuple[str, str], ...] = ()
    rules: tuple[dict, ...] = ()  # rules about the return as a whole (e.g. VOLUME_UNUSUAL)
    measures: tuple[MeasureSpec, ...] = ()
    local_codelists: dict[str, Codelist] = field(default_factory=dict, hash=False, compare=False)
    framework_measures: str | None = None  # applies_to value of the framework measures this return collects

    def sheet(self, name: str) -> SheetSpec:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(f"{self.type} return has no sheet {name}")

    def codelist(self, key: str) -> Codelist:
        return self.local_codelists.get(key) or codelist(key)

    def measure(self, code: str) -> MeasureSpec | None:
        return next((m for m in self.measures if m.code == code), None)
