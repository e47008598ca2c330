"""Support conversations for the ISTOK furniture portal suite: a button bot that hands
off to a specialist, a staff inbox, messages over REST and (optionally) WebSocket."""

__version__ = "0.1.0"
