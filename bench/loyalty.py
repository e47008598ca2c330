"""Benchmark of the loyalty program: the "My points" page and the API balance, for a
customer whose ledger has 10,000 rows.

Creates a PostgreSQL database (``istok_loyalty_bench`` by default; ``BENCH_DATABASE_URL``
names another), migrates it, gives one customer a ledger of 10,000 rows (awards with and
without expiry, redemptions spending the oldest first, written in bulk and then checked
with ``selectors.balance_mismatches``) and measures, in one run, for each endpoint:

* django: the request through the test Client, signed in (session in a signed cookie, so
  the session costs no query): ``GET /loyalty/`` (the points page: balance, what expires
  soon, the first history page of 20, the rules, rendered from the templates) and
  ``GET /api/loyalty/me/`` (balance, what expires soon, referral code and link);
* baseline: the same data read with raw SQL (the signed-in user, the account row, the
  expiring awards, and for the page the history count and page) and serialised with
  ``orjson``. For the API the two JSON answers are compared before timing; for the page
  the baseline is the data the page shows, without any HTML, so its ratio is the price
  of the framework *and* of rendering the page.

Reading the balance is one indexed row, what expires soon is summed by day in the
database, and the history is paginated, so neither figure grows with the size of the
ledger. The baselines take about a millisecond, so the ratios mostly measure Django's
fixed cost per request; ``framework_floor`` (a plain view that only reads the signed-in
user, through the same client and middleware) shows that cost on its own.

Writes ``bench/results/loyalty.json``: ``endpoints.points_page`` and
``endpoints.api_balance`` each hold ``median_ms``, ``baseline_median_ms`` and ``ratio``
(with min, p90 and query counts); the top-level ``median_ms``, ``baseline_median_ms`` and
``ratio`` (the form of ``catalog.json``) are those of the endpoint with the higher ratio,
named by ``headline``, so one number says how far the worse of the two is from raw SQL.
Without a PostgreSQL server it prints that it is skipped and exits 0.

    .venv/bin/python bench/loyalty.py [--rows 10000] [--runs 30] [--reuse]
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import timedelta
from pathlib import Path

from _common import compare, count_queries, create_database, server, summary, timed

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "loyalty.json"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/istok_loyalty_bench"
)
TARGET_RATIO = 2.0
HOST = "http://testserver"
PAGE_PATH = "/loyalty/"
API_PATH = "/api/loyalty/me/"
USERNAME = "bench-customer"

urlpatterns = []  # filled in main(); this module is the URLconf
FLOOR_PATH = "/bench/floor/"


def floor_view(request):
    """The least a signed-in request costs here: the session, the user, a JSON answer."""
    from django.http import JsonResponse

    return JsonResponse({"user": request.user.pk})


def configure():
    import dj_database_url
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench",
        USE_TZ=True,
        TIME_ZONE="Europe/Moscow",
        LANGUAGE_CODE="en",
        ALLOWED_HOSTS=["testserver"],
        DATABASES={"default": {**dj_database_url.parse(DATABASE_URL), "CONN_MAX_AGE": None}},
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "rest_framework",
            # The base every istok app needs (its template tags, translations).
            "istok_core",
            "istok_loyalty",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                    ]
                },
            }
        ],
        ROOT_URLCONF=__name__,
        STATIC_URL="/static/",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        REST_FRAMEWORK={
            "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
            "DEFAULT_AUTHENTICATION_CLASSES": [
                "rest_framework.authentication.SessionAuthentication"
            ],
        },
    )


def fill(rows):
    """One customer with a ledger of ``rows`` rows over the last 400 days: nine awards of
    10 points for each redemption of 10, every other award expiring a year after it was
    given (so some expire within the next 30 days), redemptions spending the oldest awards
    first."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from istok_loyalty import selectors, services
    from istok_loyalty.models import LoyaltyAccount, LoyaltyTransaction, PointsAllocation

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    user = get_user_model().objects.create_user(USERNAME, password="bench")
    account = services.get_or_create_account(user)
    now = timezone.now()
    ledger, spends, awards = [], [], []  # awards: [index, points left]
    balance = 0
    for index in range(rows):
        created = now - timedelta(days=400) + timedelta(seconds=index * 400 * 86400 // rows)
        if index % 10 == 9 and balance >= 10:
            delta, kind, reason, expires = -10, "redeem", "redeemed", None
            needed = 10
            for award in awards:
                take = min(award[1], needed)
                if take:
                    spends.append((index, award[0], take))
                    award[1] -= take
                    needed -= take
                if not needed:
                    break
            awards = [a for a in awards if a[1]]
        else:
            delta, kind, reason = 10, "earn", "order_cashback"
            expires = created + timedelta(days=365) if index % 2 else None
            awards.append([index, 10])
        balance += delta
        ledger.append(
            LoyaltyTransaction(
                account=account,
                type=kind,
                reason=reason,
                points=abs(delta),
                delta=delta,
                balance_after=balance,
                expires_at=expires,
                reference=f"2026-{index:05d}" if kind == "earn" else "",
                idempotency_key=f"bench:{index}",
                created=created,
            )
        )
    with transaction.atomic():
        made = LoyaltyTransaction.objects.bulk_create(ledger, batch_size=2000)
        PointsAllocation.objects.bulk_create(
            [
                PointsAllocation(debit_id=made[d].pk, credit_id=made[c].pk, points=p)
                for d, c, p in spends
            ],
            batch_size=2000,
        )
        LoyaltyAccount.objects.filter(pk=account.pk).update(balance=balance)
    filled = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    mismatches = selectors.balance_mismatches()
    if mismatches:
        raise SystemExit("the bench ledger does not add up: " + mismatches[0].describe())
    return {"migrate_s": migrated - started, "fill_s": filled - migrated}


# -- baseline: raw SQL and orjson -----------------------------------------------------------

USER_SQL = "SELECT id, is_active FROM auth_user WHERE id = %s"
ACCOUNT_SQL = (
    "SELECT id, balance, referral_code FROM istok_loyalty_loyaltyaccount WHERE user_id = %s"
)
EXPIRING_SQL = """
    SELECT day, SUM(left_points)::bigint FROM (
        SELECT (t.expires_at AT TIME ZONE 'Europe/Moscow')::date AS day,
            t.points - COALESCE(
                (SELECT SUM(a.points) FROM istok_loyalty_pointsallocation a
                 WHERE a.credit_id = t.id), 0
            ) AS left_points
        FROM istok_loyalty_loyaltytransaction t
        WHERE t.account_id = %s AND t.delta > 0 AND t.expires_at > %s AND t.expires_at <= %s
    ) awards
    WHERE left_points > 0 GROUP BY day ORDER BY day
"""
REFERRAL_SQL = (
    "SELECT r.code, r.created, r.confirmed, r.confirmed_at, g.id, g.title "
    "FROM istok_loyalty_referral r LEFT JOIN istok_loyalty_promotion g ON g.id = r.gift_id "
    "WHERE r.new_user_id = %s"
)
COUNT_SQL = "SELECT count(*) FROM istok_loyalty_loyaltytransaction WHERE account_id = %s"
HISTORY_SQL = (
    "SELECT id, created, type, reason, points, delta, balance_after, expires_at, reference, "
    "note FROM istok_loyalty_loyaltytransaction WHERE account_id = %s "
    "ORDER BY created DESC, id DESC LIMIT %s"
)


def _iso(value):
    from django.utils import timezone

    return timezone.localtime(value).isoformat() if value else None


def _account_data(cursor, user_id):
    from django.utils import timezone

    cursor.execute(USER_SQL, [user_id])
    cursor.fetchone()
    cursor.execute(ACCOUNT_SQL, [user_id])
    account_id, balance, code = cursor.fetchone()
    now = timezone.now()
    cursor.execute(EXPIRING_SQL, [account_id, now, now + timedelta(days=30)])
    expiring = [{"date": day.isoformat(), "points": points} for day, points in cursor.fetchall()]
    cursor.execute(REFERRAL_SQL, [user_id])
    referral = cursor.fetchone()
    return account_id, {
        "balance": balance,
        "balance_value": f"{balance:.2f}",
        "currency": "RUB",
        "expiring_soon": expiring,
        "referral_code": code,
        "referral_link": f"{HOST}/r/{code}/",
        "referral": None
        if referral is None
        else {
            "code": referral[0],
            "created": _iso(referral[1]),
            "gift": {"id": referral[4], "title": referral[5]} if referral[4] else None,
            "confirmed": referral[2],
            "confirmed_at": _iso(referral[3]),
        },
    }


def api_baseline(user_id):
    import orjson
    from django.db import connection

    with connection.cursor() as cursor:
        _account_id, data = _account_data(cursor, user_id)
    return orjson.dumps(data)


def page_baseline(user_id):
    """What the points page shows (without its HTML), read with raw SQL."""
    import orjson
    from django.db import connection

    with connection.cursor() as cursor:
        account_id, data = _account_data(cursor, user_id)
        cursor.execute(COUNT_SQL, [account_id])
        data["count"] = cursor.fetchone()[0]
        cursor.execute(HISTORY_SQL, [account_id, 20])
        data["history"] = [
            {
                "id": pk,
                "created": _iso(created),
                "type": kind,
                "reason": reason,
                "points": points,
                "delta": delta,
                "balance_after": after,
                "expires_at": _iso(expires),
                "reference": reference,
                "note": note,
            }
            for pk, created, kind, reason, points, delta, after, expires, reference, note in (
                cursor.fetchall()
            )
        ]
    return orjson.dumps(data)


# -- measuring ----------------------------------------------------------------------------


def get(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.content[:500]
    return response.content


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true", help="keep the database if it is filled")
    args = parser.parse_args()

    sys.path.insert(0, str(HERE))
    configure()
    try:
        server(DATABASE_URL).close()
    except Exception as exc:  # any failure means: no server to measure on
        print(f"PostgreSQL is not reachable ({exc}); loyalty benchmark skipped.")
        return 0

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import DatabaseError, connection
    from django.test import Client
    from django.urls import include, path

    urlpatterns.append(path("loyalty/", include("istok_loyalty.urls")))
    urlpatterns.append(path("api/loyalty/", include("istok_loyalty.api.urls")))
    urlpatterns.append(path("", include("istok_loyalty.urls_referral")))
    urlpatterns.append(path(FLOOR_PATH.strip("/") + "/", floor_view))

    from istok_loyalty.models import LoyaltyTransaction

    reuse = False
    if args.reuse:
        try:
            reuse = LoyaltyTransaction.objects.count() == args.rows
        except DatabaseError:  # no database or no tables yet
            reuse = False
        connection.close()
    timings = {}
    if not reuse:
        create_database(DATABASE_URL)
        timings = fill(args.rows)
    User = get_user_model()
    user = User.objects.get(username=USERNAME)
    rows = LoyaltyTransaction.objects.filter(account__user=user).count()

    client = Client()
    client.force_login(user)
    api_body = get(client, API_PATH)
    if json.loads(api_body) != json.loads(api_baseline(user.pk)):
        raise SystemExit("the baseline differs from the API")
    page = get(client, PAGE_PATH).decode()
    data = json.loads(page_baseline(user.pk))
    from istok_core.formatting import format_points

    shown = format_points(data["balance"])  # as the page writes it ("5 500 points")
    if f'<p class="istok-loyalty__balance">{shown}</p>' not in page:
        raise SystemExit("the points page does not show the balance the baseline reads")

    endpoints = {
        "points_page": {
            "request": f"GET {PAGE_PATH}",
            **compare(lambda: get(client, PAGE_PATH), lambda: page_baseline(user.pk), args.runs),
        },
        "api_balance": {
            "request": f"GET {API_PATH}",
            **compare(lambda: get(client, API_PATH), lambda: api_baseline(user.pk), args.runs),
        },
    }
    headline = max(endpoints, key=lambda name: endpoints[name]["ratio"])
    get(client, FLOOR_PATH)
    floor = summary(timed(lambda: get(client, FLOOR_PATH), args.runs))

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]

    result = {
        "benchmark": "loyalty points page and API balance",
        "ledger_rows": rows,
        "balance": data["balance"],
        "expiring_soon": len(data["expiring_soon"]),
        "page_size": 20,
        "runs": args.runs,
        "headline": headline,
        "median_ms": endpoints[headline]["median_ms"],
        "baseline_median_ms": endpoints[headline]["baseline_median_ms"],
        "ratio": endpoints[headline]["ratio"],
        "target_ratio": TARGET_RATIO,
        "target_met": all(e["ratio"] <= TARGET_RATIO for e in endpoints.values()),
        "endpoints": endpoints,
        "framework_floor": {
            "request": f"GET {FLOOR_PATH} (a plain view reading request.user)",
            **floor,
            "queries": count_queries(lambda: get(client, FLOOR_PATH)),
        },
        "setup": {k: round(v, 1) for k, v in timings.items()},
        "versions": {
            "python": platform.python_version(),
            "django": django.get_version(),
            "postgresql": server_version,
        },
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")

    print(f"loyalty: {rows} ledger rows, balance {data['balance']}")
    if timings:
        print(f"setup: migrate {timings['migrate_s']:.1f} s, ledger {timings['fill_s']:.1f} s")
    print(f"{'':24} {'median ms':>10} {'min ms':>8} {'p90 ms':>8} {'queries':>8} {'ratio':>6}")
    for name, endpoint in endpoints.items():
        for side in ("django", "baseline"):
            stats = endpoint[side]
            ratio = f"{endpoint['ratio']:>6}" if side == "django" else ""
            print(
                f"{name + ' ' + side:24} {stats['median_ms']:>10.2f} {stats['min_ms']:>8.2f} "
                f"{stats['p90_ms']:>8.2f} {stats['queries']:>8} {ratio}"
            )
    print(f"framework floor (session, user, JSON): {floor['median_ms']:.2f} ms")
    verdict = "met" if result["target_met"] else "MISSED"
    print(f"headline {headline}: ratio {result['ratio']} (target <= {TARGET_RATIO}: {verdict})")
    print(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
