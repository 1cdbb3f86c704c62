"""The reader's name last given (Save to PACS, Make worklist, Adjudicate), remembered between
sessions."""

from __future__ import annotations

from ..core.settings_file import read_setting_text, write_setting
from ..paths import user_data_dir


def _reader_file():
    return user_data_dir() / "pacs" / "reader.txt"


def remembered_reader() -> str:
    return read_setting_text(_reader_file(), "no reader's name is proposed").strip()


def remember_reader(name: str) -> None:
    write_setting(_reader_file(), name)


def known_reader() -> str:
    """Whose version a SEG saved in this window is: the reader's name last given, else the
    annotator's name last given in *Send to training set*; "" when neither was ever given."""
    from .last_dataset import remembered_dataset

    return remembered_reader() or str(remembered_dataset().get("annotator") or "").strip()


def proposed_annotator() -> str:
    """Who *Send to training set* proposes as the annotator: the name last given there, else the
    reader's name last given, else the login name. The field was empty until one was typed, and
    an annotator's first cases went into the training set as nobody's (``by -``)."""
    import getpass

    from .last_dataset import remembered_dataset

    given = str(remembered_dataset().get("annotator") or "").strip() or remembered_reader()
    if given:
        return given
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):   # no login name (a container's bare uid)
        return ""
