"""Run every package's own tests, the example project's tests and the migration checks.

Each package is tested with its own ``tests/settings.py`` (only that istok app installed),
and again with every ``tests/settings_*.py`` beside it (a swapped user model, say). The
databases: SQLite always; PostgreSQL when ``DATABASE_URL`` is set or a server answers on
127.0.0.1:5432 (``--db`` picks one). The summary says which ran.

The example project's browser tests (``-m browser``) run once, on PostgreSQL when it is
tested (``--no-browser`` leaves them out). Suites run side by side (``--jobs``, default:
one per CPU), each on its own PostgreSQL database (named after the suite, plus
``ISTOK_TEST_DB_SUFFIX``: tox environments running at once keep apart); a suite's output
is printed whole when it ends.
"""

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

from _common import EXAMPLE_DIR, module_dir, packages, python

PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/istok"


def postgres_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        return url
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=1).close()
    except OSError:
        return None
    return PG_DEFAULT


def url_for(base, name):
    """``base`` with its database name replaced, so suites never share a test database."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/{name}"))


def suites(selected):
    for package in packages():
        if selected and package.name not in selected:
            continue
        if not (package / "tests" / "settings.py").exists():
            continue
        extra = sorted((package / "tests").glob("settings_*.py"))
        settings = ["tests.settings", *(f"tests.{p.stem}" for p in extra)]
        yield package.name, package, module_dir(package).name, settings
    if not selected or "example_project" in selected:
        yield "example_project", EXAMPLE_DIR, "istok_example", ["demo.settings"]


def run_jobs(jobs, workers):
    """Run each (label, command, kwargs) of ``jobs``, ``workers`` at a time; each job's
    output is printed whole when it ends, so suites running side by side do not interleave.
    Returns ``[(*label, exit code), ...]`` in the order of ``jobs``."""

    def run_one(job):
        label, cmd, kwargs = job
        started = time.monotonic()
        done = subprocess.run(
            [str(c) for c in cmd], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs
        )
        seconds = time.monotonic() - started
        with print_lock:
            print(f"\n=== {' / '.join(label)} ({seconds:.0f} s)", flush=True)
            print("+", " ".join(str(c) for c in cmd))
            sys.stdout.write(done.stdout.decode(errors="replace"))
            sys.stdout.flush()
        return (*label, done.returncode)

    print_lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(run_one, jobs))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["auto", "sqlite", "postgres"], default="auto")
    parser.add_argument("--only", action="append", default=[], help="a package directory name")
    parser.add_argument(
        "--packages", action="store_true", help="only the packages, not the example project"
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=int(os.environ.get("ISTOK_TEST_JOBS", os.cpu_count() or 1)),
        help="suites run at once (default: the number of CPUs, or ISTOK_TEST_JOBS)",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="leave out the tests marked 'browser' (Chromium): tox's environments of other "
        "Django versions, where `make test` has run them",
    )
    parser.add_argument("pytest_args", nargs="*")
    args = parser.parse_args()

    databases = []
    if args.db in ("auto", "sqlite"):
        databases.append(("sqlite", None))
    if args.db in ("auto", "postgres"):
        url = postgres_url()
        if url:
            databases.append(("postgresql", url))
        elif args.db == "postgres":
            print("PostgreSQL was asked for, but none answers on 127.0.0.1:5432")
            return 1
        else:
            print("PostgreSQL: no server on 127.0.0.1:5432 and no DATABASE_URL: skipped")

    selected = args.only or ([p.name for p in packages()] if args.packages else [])
    no_browser = ["-m", "not browser"]
    # The example project's browser tests (Chromium) run on one database: PostgreSQL, what
    # production runs, when it is tested; else SQLite.
    browser_db = databases[-1][0]
    jobs = []
    for db_name, url in databases:
        for name, directory, db_label, settings_list in suites(selected):
            for settings in settings_list:
                env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings}
                env.pop("DATABASE_URL", None)
                without_db_url = dict(env)
                if url:
                    # One database per settings module: suites run side by side.
                    variant = settings.rpartition(".")[2].removeprefix("settings")
                    suffix = os.environ.get("ISTOK_TEST_DB_SUFFIX", "").replace("-", "_")
                    env["DATABASE_URL"] = url_for(url, db_label + variant + suffix)
                pytest = [python(), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
                # Only the example project has browser tests (and the marker: the
                # packages' strict markers refuse an unknown one).
                job_marks = []
                if name == "example_project" and (args.no_browser or db_name != browser_db):
                    job_marks = no_browser
                jobs.append(
                    (
                        (name, settings, db_name, "tests"),
                        [*pytest, "--ds", settings, *job_marks, *args.pytest_args],
                        {"cwd": directory, "env": env},
                    )
                )
                if db_name != databases[0][0]:
                    continue  # migrations do not depend on the database: checked once
                check = [python(), "-m", "django", "makemigrations", "--check", "--dry-run"]
                jobs.append(
                    (
                        (name, settings, db_name, "migrations"),
                        [*check, "--settings", settings],
                        # In-memory SQLite: the check needs no database, and would warn
                        # about a PostgreSQL database pytest-django has already dropped.
                        {
                            "cwd": directory,
                            "env": {**without_db_url, "PYTHONPATH": str(directory)},
                        },
                    )
                )
    # The example project's suites are the longest: started first, they do not finish last.
    jobs.sort(key=lambda job: job[0][0] != "example_project")
    results = run_jobs(jobs, args.jobs)

    print("\nSummary")
    width = max(len(r[0]) + len(r[1]) for r in results) + 3
    for name, settings, db_name, what, code in results:
        status = "ok" if code == 0 else f"FAILED ({code})"
        print(f"  {name + ' / ' + settings:<{width}} {db_name:<11} {what:<10} {status}")
    ran = ", ".join(db for db, _url in databases)
    print(f"Databases: {ran}")
    return 0 if all(r[4] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
