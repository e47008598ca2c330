"""Customer accounts for the ISTOK furniture portal suite."""

__version__ = "0.1.0"
