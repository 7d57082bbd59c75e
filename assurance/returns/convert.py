"""Converting cells: one named converter per column type, and the conversion of a whole column.

The converters are a registry (`CONVERTERS`: name -> Converter), so a spec names a column's type and nothing else
needs to know it: a new type is one decorated function here. Each converter builds, for one column, a function
from a cell to its value, a `Problem` or `BLANK`, and says what it gives: one value, several (ethnicity gives the
detailed and the broad group, stored in two columns), a date, or a list of codes (stored as rows of a child table).

Conversion is vectorised: each column is factorised and only its distinct values are examined in Python, so a
100,000-row sheet with 90 distinct dates parses 90 dates, not 100,000.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from assurance.reference.codelists import Codelist, age_band_for, broad_ethnicity, codelist, normalise
from assurance.returns.cleaned import CleanSheet, is_blank
from assurance.returns.rules import Context, display, plain_list

if TYPE_CHECKING:  # annotations only: the specs package is built on the converters
    from assurance.returns.specs.model import ColumnSpec, ReturnSpec

MAX_ID_LENGTH = 60
# The largest count a quarterly return may hold: more is a slip (an extra digit, a pasted reference), and it keeps
# every count, and any sum of them, far inside the 64-bit integer columns.
MAX_COUNT = 10_000_000
EXCEL_MAX_CELL = 32_767  # characters an Excel cell can hold
MAX_EXACT_FLOAT = 1e15  # Excel keeps 15 significant digits: a number ID this big has lost some
# A number as typed: digits with commas only between groups of three, an optional decimal part and exponent.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][+-]?\d+)?", re.ASCII)
_SPACE_BETWEEN_DIGITS = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
_SPLIT_CODES = re.compile(r"[;|\n]+|,(?!\s*they)")  # 'Yes, they lacked capacity' keeps its comma
EXCEL_EPOCH = date(1899, 12, 30)
_TIME_OF_DAY = re.compile(  # a time after a date: '2025-10-03 00:00:00.000' (SQL), '03/10/2025 14:05', ISO with a zone
    r"(?<=\d)(?:[ T]|\s*-\s*)\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:[ap]\.?m\.?|z|utc|gmt|bst|[+-]\d{2}:?\d{2})?$",
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
DATE_FORMATS = (
    "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d-%m-%y", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%Y/%m/%d",
    "%d %B %Y", "%d %b %Y", "%d %B %y", "%d %b %y", "%d-%b-%Y", "%d-%b-%y", "%d-%B-%Y", "%B %d %Y",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y%m%d",
)
# Extra outputs for column types that fill two database columns.


class Problem:
    """Why a cell cannot be used: the rule code, the message and how to fix it."""

    __slots__ = ("code", "message", "fix")

    def __init__(self, code: str, message: str, fix: str | None = None):
        self.code, self.message, self.fix = code, message, fix


BLANK = object()  # a cell with nothing in it
Build = Callable[["ColumnSpec", "Codelist | None", tuple], Callable[[object], object]]


@dataclass(frozen=True)
class Converter:
    name: str  # the column type a spec names
    words: str  # what the column holds, for the template and the documentation page
    build: Build  # build(column, its codelist, the Board's partners) -> cell -> value, Problem or BLANK
    parts: int = 1  # values one cell gives, each stored in its own database column
    output: str = "value"  # "value"; "date" (numpy days); "labels" (a tuple of codes: rows of a child table)
    needs_codelist: bool = False
    blank_fix: str = ""  # the fix for a blank mandatory cell ({header} is the column's heading)
    whole_column: Callable | None = None  # a faster path over the whole column, used instead of factorising


CONVERTERS: dict[str, Converter] = {}


def converter(name: str, words: str, *, parts: int = 1, output: str = "value", needs_codelist: bool = False,
              blank_fix: str = "", whole_column: Callable | None = None) -> Callable[[Build], Build]:
    """Register `build` as the converter for columns of type `name`."""
    def register(build: Build) -> Build:
        CONVERTERS[name] = Converter(name, words, build, parts, output, needs_codelist, blank_fix, whole_column)
        return build

    return register


def _skip_blank(fn: Callable[[object], object]) -> Callable[[object], object]:
    return lambda u: BLANK if is_blank(u) else fn(u)


# --- the converters --------------------------------------------------------------------------------

@converter("text", "text")
def text_converter(col: ColumnSpec, cl, partners):
    header = col.header

    def text(u):
        if is_blank(u):
            return BLANK
        s = display(u).strip()
        if col.max_length and len(s) > col.max_length:
            return Problem("TOO_LONG", f"{header} is {len(s)} characters long; at most {col.max_length} fit.",
                           "Shorten the text.")
        return s
    return text


@converter("date", "date (dd/mm/yyyy)", output="date", blank_fix="Enter the {header_lower} as dd/mm/yyyy.")
def date_converter(col: ColumnSpec, cl, partners):
    return _skip_blank(lambda u: parse_date(u, col.header))


@converter("integer", "whole number", blank_fix="Enter a whole number (0 if there were none).")
def integer_converter(col: ColumnSpec, cl, partners):
    return _skip_blank(lambda u: parse_whole(u, col.header))


@converter("age", "age in years or age band", blank_fix="Enter the age in whole years, or \u201cNot known\u201d.")
def age_converter(col: ColumnSpec, cl, partners):
    bands = codelist("age_band")
    return _skip_blank(lambda u: parse_age(u, bands))


@converter("code", "one value from the list", needs_codelist=True)
def code_converter(col: ColumnSpec, cl: Codelist, partners):
    return _skip_blank(lambda u: _code(u, cl, col.header))


@converter("codes", "one or more values from the list, separated by ;", output="labels", needs_codelist=True)
def codes_converter(col: ColumnSpec, cl: Codelist, partners):
    return _skip_blank(lambda u: _codes(u, cl, col.header))


@converter("ethnicity", "ethnic group from the list", parts=2, needs_codelist=True,
           blank_fix="Enter the ethnic group, or \u201cUndeclared / Not known\u201d if it was not recorded.")
def ethnicity_converter(col: ColumnSpec, cl, partners):
    return _skip_blank(lambda u: _ethnicity(u, col.header))


@converter("partner", "partner code or name", parts=2)
def partner_converter(col: ColumnSpec, cl, partners):
    index = _partner_index(partners)
    return _skip_blank(lambda u: _partner(u, index, partners))


def id_converter(col: ColumnSpec, cl, partners):
    header = col.header

    def conv(u):
        if type(u) is str:  # the usual case, kept fast: IDs are nearly all distinct
            s = u.strip().upper()
            if " " in s or "\t" in s or "\n" in s or "\xa0" in s:
                s = " ".join(s.split())
        elif is_blank(u):
            return BLANK
        elif isinstance(u, float) and not abs(u) < MAX_EXACT_FLOAT:  # infinite, or digits lost
            return Problem("BAD_ID", f"{header} \u201c{display(u)}\u201d is a number too large to be an ID.",
                           "Format the column as Text in Excel and type the ID again (Excel keeps only 15 digits "
                           "of a number).")
        else:
            s = str(int(u)) if isinstance(u, float) and u.is_integer() else display(u).strip().upper()
        if len(s) > MAX_ID_LENGTH:
            return Problem("TOO_LONG", f"{header} \u201c{s[:40]}...\u201d is {len(s)} characters long; IDs can be at "
                           f"most {MAX_ID_LENGTH}.", "Use the short reference from your system, not a description.")
        return s or BLANK
    return conv


def blank_fix(col: ColumnSpec, cl: Codelist | None) -> str:
    """How to fill a mandatory cell left blank."""
    text = CONVERTERS[col.type].blank_fix
    if text:
        return text.format(header=col.header, header_lower=col.header.lower())
    if cl is not None:
        return f"Choose one of {plain_list(cl.values)}."
    return f"Enter the {col.header.lower()}."


# --- converting one column -------------------------------------------------------------------------

def absent(sheet: CleanSheet, col: ColumnSpec) -> None:
    """A column the sheet does not have: every cell blank, and nothing wrong with it."""
    n = sheet.n
    empty = np.full(n, None, dtype=object)
    sheet.values[col.field] = empty
    sheet.raw[col.field] = empty
    sheet.blank[col.field] = np.ones(n, bool)
    sheet.bad[col.field] = np.zeros(n, bool)
    if CONVERTERS[col.type].output == "date":
        sheet.values[col.field] = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    for name in col.store:
        if name != col.field:
            sheet.values[name] = empty


def convert_column(sheet: CleanSheet, col: ColumnSpec, raw: np.ndarray, spec: ReturnSpec, ctx: Context,
                   partners=()) -> None:
    """Convert one column with its type's converter: values (and each stored part), blanks and problems."""
    conv = CONVERTERS[col.type]
    cl = spec.codelist(col.codelist) if col.codelist else None
    fn = conv.build(col, cl, partners)
    if conv.whole_column is not None:
        conv.whole_column(sheet, col, raw, ctx, fn)
        return
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    results = [_converted(u, col, fn) for u in uniques]
    n_u = len(uniques)
    blank_u = np.array([r is BLANK for r in results] + [True], dtype=bool)  # last slot: NA sentinel -1
    problem_u = [r if isinstance(r, Problem) else None for r in results] + [None]
    codes = np.where(codes < 0, n_u, codes)
    sheet.raw[col.field] = raw
    sheet.blank[col.field] = blank_u[codes]

    def value_of(r):
        return None if r is BLANK or isinstance(r, Problem) else r

    if conv.output == "date":
        vals_u = np.array([r if isinstance(r, np.datetime64) else np.datetime64("NaT") for r in results]
                          + [np.datetime64("NaT")], dtype="datetime64[D]")
        sheet.values[col.field] = vals_u[codes]
    elif conv.parts > 1:  # each part to its own stored column; the field itself holds the first
        parts = [value_of(r) or (None,) * conv.parts for r in results] + [(None,) * conv.parts]
        for k, name in enumerate(col.store):
            part = np.empty(n_u + 1, dtype=object)
            part[:] = [p[k] for p in parts]
            sheet.values[name] = part[codes]
        first = np.empty(n_u + 1, dtype=object)
        first[:] = [p[0] for p in parts]
        sheet.values[col.field] = first[codes]
    else:
        vals_u = np.empty(n_u + 1, dtype=object)
        for k, r in enumerate(results):  # one by one: numpy would unpack a tuple of labels
            vals_u[k] = value_of(r)
        vals_u[n_u] = None
        sheet.values[col.field] = vals_u[codes]

    kinds: dict[str, list[int]] = {}
    for k, p in enumerate(problem_u[:-1]):
        if p is not None:
            kinds.setdefault(p.code, []).append(k)
    by_value = {uniques[k]: problem_u[k] for ks in kinds.values() for k in ks}
    _report(sheet, col, cl, ctx, {code: np.isin(codes, ks) for code, ks in kinds.items()}, by_value)


def _converted(u: object, col: ColumnSpec, fn):
    return _over_long(u, col) if type(u) is str and len(u) > EXCEL_MAX_CELL else fn(u)


def _report(sheet: CleanSheet, col: ColumnSpec, cl: Codelist | None, ctx: Context, masks: dict[str, np.ndarray],
            by_value: dict) -> None:
    """Blank mandatory cells and each kind of problem (masks: code -> rows; by_value: raw value -> Problem) become
    issues, and the rows they mark are bad."""
    blank = sheet.blank[col.field]
    bad = np.zeros(len(blank), bool)
    if col.required_cells and blank.any():
        bad |= blank
        ctx.add_cells("MANDATORY_BLANK", sheet, col.field, blank, lambda v, i: f"{col.header} is blank.",
                      lambda v, i: blank_fix(col, cl))
    for code, mask in masks.items():
        bad |= mask
        ctx.add_cells(code, sheet, col.field, mask, lambda v, i: by_value[v].message, lambda v, i: by_value[v].fix)
    sheet.bad[col.field] = bad


_INNER_SPACE = re.compile(r"\s")


def _convert_ids(sheet: CleanSheet, col: ColumnSpec, raw: np.ndarray, ctx: Context, fn) -> None:
    """IDs are nearly all distinct, so hashing them to convert each distinct value once saves nothing: each cell is
    stripped and upper-cased in one pass over the column, and only the unusual cells (blank, not text, spaces inside,
    too long) go through the full converter."""
    n = len(raw)
    values = np.empty(n, dtype=object)
    values[:] = [v.strip().upper() if type(v) is str else None for v in raw]
    odd = pd.isna(values) | (values == "")
    text = values[~odd]
    # Spaces inside or too long: one scan of the whole column finds whether any cell needs a closer look.
    if len(text) and _INNER_SPACE.search("\x00".join(text)):
        odd[~odd] = np.fromiter((_INNER_SPACE.search(v) is not None for v in text), bool, count=len(text))
        text = values[~odd]
    if len(text):
        odd[~odd] = np.fromiter(map(len, text), np.int64, count=len(text)) > MAX_ID_LENGTH
    blank = np.zeros(n, bool)
    masks: dict[str, np.ndarray] = {}
    by_value: dict = {}
    for i in np.flatnonzero(odd):
        r = _converted(raw[i], col, fn)
        if r is BLANK:
            blank[i], values[i] = True, None
        elif isinstance(r, Problem):
            values[i] = None
            masks.setdefault(r.code, np.zeros(n, bool))[i] = True
            by_value[raw[i]] = r
        else:
            values[i] = r
    sheet.raw[col.field], sheet.values[col.field], sheet.blank[col.field] = raw, values, blank
    _report(sheet, col, None, ctx, masks, by_value)


converter("id", "reference", whole_column=_convert_ids)(id_converter)


def _over_long(u: str, col: ColumnSpec) -> Problem:
    return Problem("CELL_TOO_LONG", f"{col.header} holds {len(u):,} characters, more than the {EXCEL_MAX_CELL:,} an "
                   "Excel cell can hold, so it cannot have come from Excel as it is.",
                   f"Check what is in the cell and enter the {col.header.lower()} again (the template's cell, at most "
                   f"{EXCEL_MAX_CELL:,} characters).")


# --- reading one value -----------------------------------------------------------------------------

_LOOK_ALIKES = str.maketrans(
    "\u0410\u0412\u0415\u041a\u041c\u041d\u041e\u0420\u0421\u0422\u0423\u0425\u0405\u0406\u0408"
    "\u0430\u0435\u043e\u0440\u0441\u0443\u0445\u0455\u0456\u0458\u0501\u051b\u051d"
    "\u0391\u0392\u0395\u0396\u0397\u0399\u039a\u039c\u039d\u039f\u03a1\u03a4\u03a5\u03a7"
    "\u03b1\u03b9\u03ba\u03bd\u03bf\u03c1\u03c5",
    "ABEKMHOPCTYXSIJaeopcyxsijdqwABEZHIKMNOPTYXaikvopu",
)


def foreign_digits(text: str) -> str | None:
    """The digits in `text` that are not 0 to 9 (Arabic-Indic, fullwidth, Devanagari...), each once, or None."""
    if text.isascii():
        return None
    found = list(dict.fromkeys(c for c in text if c.isdigit() and not c.isascii()))
    return " ".join(f"“{c}”" for c in found) if found else None


def _letter_name(c: str) -> str:
    name = unicodedata.name(c, "").lower()
    for word in ("cyrillic", "greek", "latin"):
        name = name.replace(word, word.capitalize())
    return name or f"U+{ord(c):04X}"


def look_alikes(text: str) -> tuple[str, list[str]]:
    """(`text` with look-alike letters replaced by the plain letters they mimic, the look-alike characters)."""
    if text.isascii():
        return text, []
    plain = unicodedata.normalize("NFKC", text.translate(_LOOK_ALIKES))
    odd = [c for c in dict.fromkeys(text) if not c.isascii() and c.isalnum()
           and unicodedata.normalize("NFKC", c.translate(_LOOK_ALIKES)).isascii()]
    return plain, odd


def _look_alike_problem(u: object, header: str, match) -> Problem | None:
    """A code typed with look-alike letters (Cyrillic 'А' for 'A'): say so, and which code was probably meant."""
    text = display(u)
    plain, odd = look_alikes(text)
    if not odd:
        return None
    which = ", ".join(f"“{c}” ({_letter_name(c)})" for c in odd)
    what = "a look-alike character that is not a plain letter" if len(odd) == 1 else \
        "look-alike characters that are not plain letters"
    meant = match(plain)
    fix = f"Retype it with plain letters: did you mean “{meant}”?" if meant else "Retype it with plain letters (A to Z)."
    return Problem("UNKNOWN_CODE", f"{header} “{_short(text)}” contains {what}: {which}.", fix)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def read_number(u: object) -> tuple[int | float | None, str]:
    """A cell as a number: (value, '') or (None, why not): 'digits' (digits of another script), 'separators'
    (commas or spaces not between groups of three digits), 'words' (not a number at all). An infinite or NaN
    value comes back as the float it is, for the caller to refuse."""
    if isinstance(u, bool):
        return None, "words"
    if isinstance(u, (int, float)):
        return u, ""
    if not isinstance(u, str):
        return None, "words"
    if foreign_digits(u):
        return None, "digits"
    text = _SPACE_BETWEEN_DIGITS.sub(",", u.strip())
    if not _PLAIN_NUMBER.fullmatch(text):
        if re.fullmatch(r"[+-]?[\d,.]*\d[\d,.]*", text, re.ASCII):
            return None, "separators"
        try:
            return float(text), ""  # 'inf', 'nan', 'Infinity': numbers to Python, not to a person
        except ValueError:
            return None, "words"
    text = text.replace(",", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text), ""
    return float(text), ""


def parse_date(u: object, header: str = "Date") -> date | Problem:
    d = None
    if isinstance(u, datetime):
        d = u.date()
    elif isinstance(u, date):
        d = u
    elif isinstance(u, (int, float)) and not isinstance(u, bool):
        if 20000 <= u <= 80000:  # an Excel serial day number that lost its date format
            d = EXCEL_EPOCH + timedelta(days=int(u))
    elif isinstance(u, str):
        if len(u) > 60:
            return Problem("BAD_DATE", f"{header} “{_short(u)}” is not a date we can read.",
                           "Write the date as dd/mm/yyyy, for example 03/07/2025 (day first).")
        if digits := foreign_digits(u):
            return Problem("BAD_DATE", f"{header} “{u}” is written with digits that are not 0 to 9: {digits}.",
                           "Retype the date with the digits 0 to 9, as dd/mm/yyyy.")
        text = _ORDINAL.sub(r"\1", " ".join(u.replace(",", " ").split()))
        text = _TIME_OF_DAY.sub("", text)  # '2025-10-03 00:00:00.000' (SQL), '03/10/2025 14:05', ISO with a zone
        text = re.sub(r"(?i)\bsept\b", "Sep", text)
        for fmt in DATE_FORMATS:
            try:
                d = datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if d is None and re.fullmatch(r"\d{5}(\.0+)?", text):
            d = EXCEL_EPOCH + timedelta(days=int(float(text)))
    if d is None and isinstance(u, str) and (shape := _DAY_MONTH_YEAR.fullmatch(text)):
        day, month = int(shape["day"]), int(shape["month"])
        if 1 <= month <= 12:
            return Problem("BAD_DATE", f"{header} “{display(u)}” is not a real date: {MONTH_NAMES[month - 1]} has no "
                           f"day {day}.", "Check the day and the month against the case record (dd/mm/yyyy).")
        if 1 <= day <= 12 and month <= 31:
            return Problem("BAD_DATE", f"{header} “{display(u)}” has no month {month}: it looks written month first.",
                           f"Write it day first: {month:02d}/{day:02d}/{shape['year']}.")
    if d is None:
        return Problem("BAD_DATE", f"{header} “{display(u)}” is not a date we can read.",
                       "Write the date as dd/mm/yyyy, for example 03/07/2025 (day first).")
    if not 1990 <= d.year <= 2100:
        return Problem("BAD_DATE", f"{header} “{display(u)}” gives the year {d.year}, which cannot be right.",
                       "Check the year and write the date as dd/mm/yyyy.")
    return np.datetime64(d, "D")


def parse_whole(u: object, header: str = "Number") -> int | Problem:
    v, why = read_number(u)
    shown = _short(display(u))
    if why == "digits":
        return Problem("BAD_NUMBER", f"{header} “{shown}” is written with digits that are not 0 to 9: "
                       f"{foreign_digits(u)}.", "Retype the number with the digits 0 to 9.")
    if why == "separators":
        return Problem("BAD_NUMBER", f"{header} “{shown}” has a thousands separator in the wrong place, so it is not "
                       "clear what number is meant.", "Enter the count as digits, e.g. 1234 or 1,234 (a comma only "
                       "between groups of three digits).")
    if v is None or v != v:  # words, or NaN
        return Problem("BAD_NUMBER", f"{header} “{shown}” is not a number.",
                       "Enter a whole number such as 1234 (no words or symbols).")
    if isinstance(v, float) and not np.isfinite(v):
        return Problem("BAD_NUMBER", f"{header} “{shown}” is not a whole number we can store.",
                       f"Enter the count as digits, e.g. 1234 (at most {MAX_COUNT:,}).")
    if isinstance(v, float) and not v.is_integer():
        return Problem("BAD_NUMBER", f"{header} “{shown}” is not a whole number.",
                       f"Enter a whole number (a count of people), e.g. {round(v)}.")
    if v < 0:
        return Problem("NEGATIVE_NUMBER", f"{header} “{shown}” is below zero, and a count cannot be negative.",
                       "Enter the count as 0 or more.")
    if v > MAX_COUNT:
        return Problem("BAD_NUMBER", f"{header} “{shown}” is more than {MAX_COUNT:,}, far larger than any count in a "
                       "quarterly return.", "Check the figure and enter the count for the quarter.")
    return int(v)


def parse_age(u: object, bands: Codelist) -> str | Problem:
    years = None
    if isinstance(u, (int, float)) and not isinstance(u, bool):
        years = float(min(u, 1000))  # a huge int would not fit a float
    elif isinstance(u, str):
        if digits := foreign_digits(u):
            return Problem("BAD_AGE", f"Age “{_short(u)}” is written with digits that are not 0 to 9: {digits}.",
                           "Retype the age with the digits 0 to 9, in whole years, e.g. 82.")
        text = re.sub(r"(?i)\s*(years?|yrs?|y\.?o\.?)$", "", u.strip())
        value, why = read_number(text)
        if value is not None:
            years = float(min(value, 1000))
        else:
            label = bands.match(u)
            if label:
                return label
            s = bands.suggest(u)
            return Problem("BAD_AGE", f"Age “{_short(display(u))}” is neither an age in years nor an age band.",
                           f"Did you mean “{s}”?" if s else f"Enter whole years (e.g. 82) or a band: {plain_list(bands.values)}.")
    if years is None:
        return Problem("BAD_AGE", f"Age “{display(u)}” is not an age.", "Enter the age in whole years, e.g. 82.")
    if not np.isfinite(years) or not years.is_integer() or years < 0 or years > 125:
        return Problem("BAD_AGE", f"Age “{display(u)}” is not a believable age in whole years.",
                       "Enter the age in whole years, e.g. 82.")
    band = age_band_for(int(years))
    if band is None:
        return Problem("AGE_UNDER_18", f"Age {int(years)} is under 18; this return covers adults (18 and over) only.")
    return band


def _code(u: object, cl: Codelist, header: str) -> str | Problem:
    label = cl.match(display(u))
    if label is not None:
        return label
    return _unknown(u, cl, header)


def _unknown(u: object, cl: Codelist, header: str) -> Problem:
    if p := _look_alike_problem(u, header, cl.match):
        return p
    s = cl.suggest(display(u))
    fix = f"Did you mean “{s}”?" if s else f"Use one of {plain_list(cl.values)}."
    return Problem("UNKNOWN_CODE", f"{header} “{display(u)}” is not in the {cl.name.lower()} list.", fix)


def _codes(u: object, cl: Codelist, header: str) -> tuple | Problem:
    labels = []
    for part in _SPLIT_CODES.split(display(u)):
        if not part.strip():
            continue
        label = cl.match(part)
        if label is None:
            p = _unknown(part.strip(), cl, header)
            if p.message.endswith("list."):
                p.message = f"{header} “{_short(display(u))}”: “{part.strip()}” is not in the {cl.name.lower()} list."
            return p
        if label not in labels:
            labels.append(label)
    return tuple(labels) if labels else BLANK


def _ethnicity(u: object, header: str) -> tuple | Problem:
    detailed, broad = broad_ethnicity(display(u))
    if broad is not None:
        return detailed, broad
    if p := _look_alike_problem(u, header, lambda t: broad_ethnicity(t)[0] or broad_ethnicity(t)[1]):
        return p
    s = codelist("ethnicity_detailed").suggest(display(u)) or codelist("ethnicity_broad").suggest(display(u))
    fix = f"Did you mean “{s}”?" if s else "Use a detailed ethnic group from the template's list (or the broad group)."
    return Problem("UNKNOWN_CODE", f"{header} “{display(u)}” is not an ethnic group we recognise.", fix)


def _partner_index(partners) -> dict[str, object]:
    index: dict[str, object] = {}
    types: dict[str, list] = {}
    for p in partners:
        index[normalise(p.code)] = p
        index[normalise(p.name)] = p
        types.setdefault(normalise(p.type), []).append(p)
    for t, ps in types.items():
        if len(ps) == 1:
            index.setdefault(t, ps[0])
    return index


def _partner(u: object, index: dict, partners) -> tuple | Problem:
    p = index.get(normalise(display(u)))
    if p is not None:
        return p.name, p.id
    if bad := _look_alike_problem(u, "Agency", lambda t: (q := index.get(normalise(t))) and q.name):
        return bad
    close = difflib.get_close_matches(normalise(display(u)), list(index), n=1, cutoff=0.6)
    fix = f"Did you mean “{index[close[0]].name}” ({index[close[0]].code})?" if close else \
        f"Use a partner code: {plain_list(p.code for p in partners)}."
    return Problem("UNKNOWN_CODE", f"Agency “{display(u)}” is not one of the Board's partners.", fix)
