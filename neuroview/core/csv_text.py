"""Text cells of a CSV meant for a spreadsheet: a cell that starts like a formula is kept text.

A case's file name or a model card's label name comes from whoever made the file or the card;
``=HYPERLINK("http://...?"&A1,"open")`` or ``=cmd|' /C calc'!A0`` as the first characters of a
cell is a formula to Excel and LibreOffice when the CSV is opened there (OWASP's "CSV
injection"). Such a cell is written with a leading apostrophe, as those programs write text that
looks like a formula. Only for CSVs people open (``segment --report``): those neuroview reads back
(worklists, ``rank.csv``) hold paths, which must stay as they are.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str) -> str:
    """``value``, with an apostrophe in front when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value
