"""What the benchmarks share: the PostgreSQL database each one makes, and the timing."""

import statistics
import time


def server(database_url):
    """A psycopg connection (autocommit) to the "postgres" database of the server that
    ``database_url`` names."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(database_url)
    return psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def create_database(database_url):
    """Drop and create the database ``database_url`` names."""
    import dj_database_url
    from psycopg import sql

    name = sql.Identifier(dj_database_url.parse(database_url)["NAME"])
    with server(database_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def timed(function, runs, warmup=3):
    """Milliseconds of each of ``runs`` calls, after ``warmup`` calls."""
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def summary(samples):
    ordered = sorted(samples)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "min_ms": round(ordered[0], 2),
        "p90_ms": round(ordered[int(len(ordered) * 0.9) - 1], 2),
    }


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured)


def compare(ours, baseline, runs):
    """Time ``ours`` against ``baseline``, ``runs`` times each, interleaved so a noisy
    moment hits both alike: medians, their ratio, and each side's statistics and queries."""
    for _ in range(3):
        ours()
        baseline()
    ours_samples, baseline_samples = [], []
    for _ in range(runs):
        ours_samples += timed(ours, 1, warmup=0)
        baseline_samples += timed(baseline, 1, warmup=0)
    ours_stats, baseline_stats = summary(ours_samples), summary(baseline_samples)
    return {
        "median_ms": ours_stats["median_ms"],
        "baseline_median_ms": baseline_stats["median_ms"],
        "ratio": round(ours_stats["median_ms"] / baseline_stats["median_ms"], 2),
        "django": {**ours_stats, "queries": count_queries(ours)},
        "baseline": {**baseline_stats, "queries": count_queries(baseline)},
    }
