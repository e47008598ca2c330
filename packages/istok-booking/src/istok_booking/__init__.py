"""Appointments with showroom designers and measurers for the ISTOK furniture portal suite."""

__version__ = "0.1.0"
