"""Running a use case again when its transaction lost a deadlock or a serialization
conflict: :func:`retrying` and :class:`TryAgain`, shared by every istok app's services.

Every operation that spans packages takes its row locks in one order (see the lock order
in the architecture documentation), so deadlocks should not happen between istok's own
writers; a project's code, or a lock taken by the database itself (a foreign key's key
share lock), can still make PostgreSQL pick a victim. The victim's whole transaction was
rolled back, so running it again is safe, and every use case decides after taking its
locks, so the second run sees what the winner wrote.
"""

import logging
import random
import time
from functools import wraps

from django.db import DatabaseError, connection
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("istok_core")

#: SQLSTATE codes worth another try: deadlock_detected, serialization_failure,
#: lock_not_available.
RETRYABLE = frozenset({"40P01", "40001", "55P03"})


class TryAgain(Exception):
    """The database refused the operation again and again because of concurrent ones.
    Nothing was written. Pages say ``message``; the API answers 503 with
    ``Retry-After: retry_after``."""

    message = _("Many changes are being made at the same moment. Please try again.")
    retry_after = 1

    def __str__(self):
        return str(self.message)


def is_retryable(exc):
    """Whether ``exc`` is a deadlock or serialization failure (PostgreSQL's SQLSTATE)."""
    cause = exc.__cause__ or exc
    code = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    return code in RETRYABLE


def retrying(function=None, *, attempts=4):
    """Run the decorated use case up to ``attempts`` times while its transaction loses a
    deadlock; then raise :class:`TryAgain`.

    Only at the outermost level: inside a caller's ``transaction.atomic`` the failed
    transaction is the caller's, and only the caller can run it again, so the error is
    passed on unchanged.
    """

    def decorate(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            if connection.in_atomic_block:
                return fn(*args, **kwargs)
            for attempt in range(1, attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except DatabaseError as exc:
                    if not is_retryable(exc):
                        raise
                    logger.warning(
                        "%s lost a database conflict (attempt %s of %s): %s",
                        getattr(fn, "__qualname__", fn),
                        attempt,
                        attempts,
                        exc,
                    )
                    if attempt == attempts:
                        raise TryAgain() from exc
                    time.sleep(random.uniform(0.005, 0.05) * attempt)
            raise AssertionError("unreachable")  # pragma: no cover

        return wrapper

    return decorate(function) if function is not None else decorate
