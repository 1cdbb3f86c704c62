"""A series candidate printed (a log line, a traceback) names no series, study or file: its key is
a path or a SeriesInstanceUID, its description and study may name the patient (as Volume's repr,
tests/core/test_volume_repr.py)."""

from neuroview.io.candidates import SeriesCandidate


def test_a_series_candidate_printed_names_no_series_or_study():
    candidate = SeriesCandidate(
        key="1.2.826.0.1.3680043.2.1125.555", description="DOE^JANE head", modality="MR",
        shape=(4, 5, 6), spacing=(0.5, 0.5, 2.0), orientation="LPS", loader=lambda: None,
        warnings=["slice 3 of /data/DOE_JANE/ missing"], study="Brain 2003-05-05", time="02:53:12")
    text = repr(candidate)
    for secret in ("1.2.826", "DOE", "JANE", "Brain", "2003", "02:53", "/data"):
        assert secret not in text, text
    assert text == ("SeriesCandidate(modality='MR', shape=(4, 5, 6), spacing=(0.5, 0.5, 2.0), "
                    "orientation=LPS, n_files=1, confidence=1.00, warnings=1)")
