"""The 3D view's display choices the user made: its preset and *Volume rendering* on or off.

Kept from one image to the next and remembered between sessions (``view-3d.json`` in the user's
data folder), as 3D Slicer and ITK-SNAP keep a user's display choice: a new image reset both to
automatic. Until the user picks one, each image opens at its automatic preset
(:func:`.view_presets.opening_3d_preset`) and volume rendering shows only while nothing else does.
A CT preset chosen stays for CT images only: another image opens at its automatic preset, with a
note saying so, and the next CT gets the choice back."""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass

from ..core.settings_file import read_setting, write_setting
from ..paths import user_data_dir, user_data_path
from .view_presets import is_ct, opening_3d_preset

CHOICE_FILE = "view-3d.json"


@dataclass
class View3DChoice:
    preset: str | None = None
    """The 3D preset the user chose; ``None``: each image's automatic one."""
    volume: bool | None = None
    """*Volume rendering* ticked (True) or cleared (False) by the user; ``None``: automatic."""


def remembered_3d_choice(presets) -> View3DChoice:
    """The choice remembered from an earlier session, its preset one of ``presets`` (an unknown
    entry is left out: that part is automatic; a damaged file is said and kept aside as
    ``view-3d.json.bad``, as every settings file, :mod:`neuroview.core.settings_file`)."""
    saved = read_setting(user_data_path() / CHOICE_FILE, "the 3D view starts with each image's "
                         "automatic preset and volume rendering", lambda d: isinstance(d, dict),
                         "a JSON object")
    if saved is None:
        return View3DChoice()
    preset, volume = saved.get("preset"), saved.get("volume")
    return View3DChoice(preset if preset in presets else None,
                        volume if isinstance(volume, bool) else None)


def remember_3d_choice(choice: View3DChoice) -> None:
    """Write ``choice`` for the next session; a folder that cannot be written keeps it for this
    session only (a preference is not worth an error)."""
    with contextlib.suppress(OSError):
        write_setting(user_data_dir() / CHOICE_FILE, json.dumps(asdict(choice)))


def preset_for(volume, chosen: str | None) -> tuple[str, str]:
    """The 3D preset ``volume`` opens at with the user's choice ``chosen``, and a note when the
    choice does not suit it ("" else): a CT preset (in Hounsfield units) on an image that is not
    a CT would draw nothing or noise."""
    automatic = opening_3d_preset(volume)
    if chosen is None or volume is None:
        return automatic, ""
    if unsuited(volume, chosen):
        return automatic, (f"3D view: {automatic}, not your {chosen} (a CT preset; this image is "
                           "not a CT). Your choice comes back with the next CT")
    return chosen, ""


def presets_by_fit(volume, presets) -> tuple[list[str], list[str]]:
    """``presets`` split into those that suit ``volume`` and the others: the CT presets (in
    Hounsfield units) for a CT, "MR default" for anything else (it draws any image, a CT too).
    The box lists the others after a separator, as 3D Slicer lists every preset and defaults by
    modality: an image whose CT-ness is guessed from its voxels (a NIfTI) may be guessed wrong."""
    ct = volume is not None and is_ct(volume)
    suited = [name for name in presets if name.startswith("CT ") == ct]
    return suited, [name for name in presets if name not in suited]


def unsuited(volume, preset: str) -> bool:
    """A CT preset (in Hounsfield units) on an image that is not a CT."""
    return volume is not None and preset.startswith("CT ") and not is_ct(volume)
