"""Rules about the file's shape: sheets, header rows and columns (raised while cleaning)."""

from assurance.returns.issues import ERROR, QUERY
from assurance.returns.rules.registry import declare

declare("UNREADABLE_FILE", ERROR, "The file is not a readable spreadsheet or CSV; nothing was loaded",
        "Save the return as .xlsx (or .csv for a one-sheet return) from the template and send it again.")
declare("MISSING_SHEET", ERROR, "A sheet the return needs is missing",
        "Add the sheet with this name (or copy your data into the latest template).")
declare("HEADER_NOT_FOUND", ERROR, "No header row found on a sheet",
        "Put the column headings from the template in one row above the data.")
declare("MISSING_COLUMN", ERROR, "A mandatory column is missing",
        "Add the column with this heading (or copy your data into the latest template).")
declare("DUPLICATE_COLUMN", ERROR, "The same column appears twice",
        "Delete or rename one of the two columns so each heading appears once.")
declare("NO_DATA", ERROR, "A sheet has headings but no data rows",
        "Fill in the rows, or check you saved the completed workbook.")
declare("EMPTY_HEADER", QUERY, "A column holds data but has no heading; it was ignored",
        "Give the column its heading from the template, or delete it if it is not part of the return.")
declare("MACROS_IGNORED", QUERY, "The workbook contains macros; they were ignored (never run)",
        "Nothing to do; for the future save returns as .xlsx rather than .xlsm.")
