"""Helpers for the tests of projects that use istok_loyalty."""
