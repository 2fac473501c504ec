"""The ``mentorkit`` command line."""
