"""One small paint step per call, on the ``volume`` fixture of ``tests/app/conftest.py``."""


def paint(session, k):
    """A 3 mm 2D stroke in the axial slice ``k`` (2 mm apart) at the image's centre."""
    session.apply("paint", at_ras=(12.0, 12.0, 2.0 * k), radius_mm=3.0, mode="2d", view="axial")
