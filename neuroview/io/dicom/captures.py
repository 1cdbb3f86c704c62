"""A secondary capture said as such: a picture saved from a screen or a page (a CT's dose page,
its protocol, a screenshot), stored with SOP class Secondary Capture Image Storage. Opened alone it
showed as a one-slice colour image under warnings about its missing position, with no word of
what it was."""

from __future__ import annotations

SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7"
"""Secondary Capture Image Storage (the multi-frame classes, ``...1.7.1`` to ``...1.7.4``, may
hold a placed volume, and are not said)."""
CAPTURE_WARNING = ("secondary capture: a picture saved from a screen or a page (a dose page, a "
                   "protocol, a screenshot), not the scanner's images; open the study's folder to "
                   "choose its series")

GEOMETRY_SAID = ("no pixel spacing it can read", "pixel spacing ", "no patient position",
                 "one image: no slice step")
"""How ``io.dicom.series`` begins its warnings about a series' missing place and size, which a
picture of a page or a screen has none of: a capture's four lines of them covered the top of the
page (a dose page under the notice) saying what its first line says."""


def name_captures(plan, refs) -> None:
    """Say first among ``plan``'s warnings that its images (``refs``) are secondary captures,
    when every one of them is, in place of the warnings about their missing geometry."""
    if refs and all(ref.capture for ref in refs):
        plan.warnings[:] = [CAPTURE_WARNING] + [text for text in plan.warnings
                                                if not text.startswith(GEOMETRY_SAID)]
