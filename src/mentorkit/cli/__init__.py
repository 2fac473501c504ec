"""The ``mentorkit`` command line (also ``python -m mentorkit``)."""

from mentorkit.cli._main import build_parser, main

__all__ = ["build_parser", "main"]
