"""Helpers for the istok apps' test suites, and for yours.

- :func:`run_at_once`: calls released together, each in its own thread with its own
  database connection (real concurrency needs PostgreSQL and
  ``pytest.mark.django_db(transaction=True)``);
- :func:`run_plans`: several threads each running a list of calls (a stress test);
- :func:`skip_unless_postgres`: skip a test that needs row locks;
- :mod:`istok_core.testing.settings`: the settings every app's test suite shares.
"""

import threading

from django.db import connection


def run_at_once(*calls):
    """Run each call in its own thread, all released together by a barrier; return their
    results in order, an exception in place of a result when a call raised it."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_plans(plans):
    """Run each plan (a list of calls) in its own thread, all started together; return
    every outcome (a result, or the exception a call raised), in the order they ended."""
    barrier = threading.Barrier(len(plans))
    lock = threading.Lock()
    outcomes = []

    def worker(plan):
        barrier.wait()
        try:
            for call in plan:
                try:
                    outcome = call()
                except Exception as exc:
                    outcome = exc
                with lock:
                    outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(plan,)) for plan in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def skip_unless_postgres():
    """Skip the calling test unless the database is PostgreSQL (row locks and real
    concurrent transactions)."""
    import pytest

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks and real concurrent transactions)")
