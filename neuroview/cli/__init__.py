"""The ``neuroview`` command line."""
