"""The foundation of the ISTOK furniture portal suite: what two or more istok apps need."""

__version__ = "0.1.0"
