"""Loyalty points, referrals, promotions and news for the ISTOK furniture portal suite."""

__version__ = "0.2.0"
