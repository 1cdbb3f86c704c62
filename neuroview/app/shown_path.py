"""How a notice names a file it saved or exported (no Qt): the file's name and where it lies in
words a user places, the whole path kept for the tooltip, as Slicer and ITK-SNAP name a saved file
(``Saved /home/ana/studies/.../a-labels.nii.gz`` filled the notice bar with folders).

::

    short_path("/data/s1/a-labels.nii.gz", image="/data/s1/a.nii.gz")  # 'a-labels.nii.gz beside the image'
    short_path("/home/ana/Documents/a-labels.nii.gz")                   # 'a-labels.nii.gz in ~/Documents'
    short_path("/mnt/x/labels/a-labels.nii.gz")                         # 'a-labels.nii.gz in …/labels'
    short_path("/home/ana/cases/doe_john/a.nii.gz")                     # 'a.nii.gz in …/doe_john'

Under the home folder only a folder directly in it is named from ``~`` (``in ~/Documents``); one
deeper is named by its own name, as everywhere else (until session 40 every folder below ``~``
was shown: ``in ~/cases/doe_john``, a patient's name in the notice bar and the log).
"""

from __future__ import annotations

import os
from typing import Optional


def _inside(path: str, folder: str) -> bool:
    try:
        return os.path.commonpath([path, folder]) == folder
    except ValueError:   # another drive (Windows)
        return False


def image_folder(image) -> str:
    """The folder of ``image`` (a file, or a DICOM series' folder), "" when it has none."""
    if not image:
        return ""
    image = os.path.abspath(os.fspath(image))
    return image if os.path.isdir(image) else os.path.dirname(image)


def short_path(path, image=None, home: Optional[str] = None) -> str:
    """``path``'s name and its folder as a notice says them: ``beside the image`` in the folder of
    ``image`` (its file or DICOM folder; a subfolder of it by its name, ``in segs/ under the
    image's folder``, a deeper one by its own name alone, ``in …/segs/ under the image's
    folder``), ``in ~`` or ``in ~/FOLDER`` in the home folder or a folder directly in it, else
    ``in …/FOLDER`` (the folder's name alone, ``in /`` at the root). The whole path belongs in
    the tooltip (:func:`full_path`)."""
    full = full_path(path)
    name, folder = os.path.basename(full), os.path.dirname(full)
    beside = image_folder(image)
    if beside and _inside(folder, beside):
        sub = os.path.relpath(folder, beside)
        if sub == ".":
            return f"{name} beside the image"
        if os.sep in sub:   # deeper: its own folder alone, as under ~ (the whole relative path
            sub = f"…{os.sep}{os.path.basename(sub)}"   # showed every folder, a patient's too)
        return f"{name} in {sub}{os.sep} under the image's folder"
    home = os.path.abspath(os.path.expanduser("~") if home is None else home)
    if home != os.sep and _inside(folder, home):
        sub = os.path.relpath(folder, home)
        if sub == ".":
            return f"{name} in ~"
        if os.sep not in sub:
            return f"{name} in ~{os.sep}{sub}"
    parent = os.path.basename(folder)
    return f"{name} in {os.sep}" if not parent else f"{name} in …{os.sep}{parent}"


def full_path(path) -> str:
    """The absolute path a tooltip shows."""
    return os.path.abspath(os.fspath(path))


def short_paths(paths, image=None, home: Optional[str] = None) -> str:
    """Several files as :func:`short_path` names one: ``a.csv and b.html in ~/reports`` when they
    share a folder, else each with its own."""
    fulls = [full_path(p) for p in paths]
    if not fulls:
        return ""
    if len({os.path.dirname(f) for f in fulls}) > 1:
        return " and ".join(short_path(f, image, home) for f in fulls)
    first = os.path.basename(fulls[0])
    where = short_path(fulls[0], image, home)[len(first):]
    return " and ".join(os.path.basename(f) for f in fulls) + where
