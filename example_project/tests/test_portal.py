"""The portal's own pages: the home page (a visitor's and a customer's dashboard), the
error pages, the navigation's current section, the message after signing out, the site's
icon and ``load_demo``'s summary of the emails it sent."""

import os
import re
import subprocess
import sys
import types
from datetime import UTC, datetime
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.test import Client
from django.urls import include, path, reverse

from demo import views

needs_orders = pytest.mark.skipif(
    not apps.is_installed("istok_orders"), reason="istok_orders is not composed"
)
needs_loyalty = pytest.mark.skipif(
    not apps.is_installed("istok_loyalty"), reason="istok_loyalty is not composed"
)


def get_in(client, url, language="ru", **kwargs):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url, **kwargs)


def main_of(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def demo(db, django_capture_on_commit_callbacks):
    """load_demo's data: the demo customer with an order and points (what happens after
    each commit, the points and the emails, included)."""
    from django.contrib.auth import get_user_model

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    return get_user_model()._default_manager.get(username="demo")


# The home page ----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_visitor_reads_what_the_business_makes_and_no_api_card(client, language):
    response = get_in(client, "/", language)
    assert response.status_code == 200
    main = main_of(response)
    make = {"ru": ["Кухни", "Шкафы", "Прихожие", "Детские"], "en": ["Kitchens", "Wardrobes"]}
    for word in make[language]:
        assert word in main
    assert ("Как проходит заказ" if language == "ru" else "How an order goes") in main
    assert reverse("istok_accounts:signup") in main
    # The API is for developers: a link in the footer, not a card for customers.
    assert reverse("api_docs") not in main
    html = response.content.decode()
    footer = html[html.index('<footer class="istok-footer"') :]
    developers = "API для разработчиков" if language == "ru" else "API for developers"
    assert f'href="{reverse("api_docs")}">{developers}</a>' in footer


@pytest.mark.django_db
def test_each_offer_leads_to_its_category_in_the_catalog(client):
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed")
    main = main_of(client.get("/"))
    catalog = reverse("istok_catalog:product_list")
    for slug, _title, _text in views.OFFERS:
        assert f'href="{catalog}?category={slug}"' in main
    # The seeded categories: each link shows products of one.
    from istok_catalog.models import Category

    assert set(Category.objects.values_list("slug", flat=True)) >= {s for s, *_ in views.OFFERS}


@needs_orders
@needs_loyalty
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_customer_home_is_their_dashboard(client, demo, language):
    from django.utils import translation

    from istok_orders import selectors

    order = selectors.customer_orders(demo).get()
    client.force_login(demo)
    main = main_of(get_in(client, "/", language))
    assert reverse("istok_orders:order_detail", args=[order.number]) in main
    steps = selectors.order_progress(order)
    current = next(i for i, step in enumerate(steps) if step.state == "current")
    with translation.override(language):
        stage = f"{'Этап' if language == 'ru' else 'Stage'} {current + 1} "
        assert stage in main
        assert str(order.get_status_display()) in main
        assert str(steps[current + 1].label) in main  # what is next
    assert re.search(r"5[\s,]?500\s(баллов|points)", main)  # the points balance
    assert reverse("istok_loyalty:points") in main
    assert reverse("istok_accounts:profile") in main
    assert reverse("api_docs") not in main
    assert ("Здравствуйте, Анна!" if language == "ru" else "Hello, Анна!") in main


@needs_orders
def test_a_customer_without_orders_is_offered_the_catalog(customer_client):
    main = main_of(customer_client.get("/"))
    assert "У вас пока нет заказов." in main
    assert f'href="{reverse("istok_catalog:product_list")}"' in main
    # And on "My orders" too: the empty state says what to do next.
    main = main_of(customer_client.get(reverse("istok_orders:order_list")))
    assert "У вас пока нет заказов." in main
    assert f'href="{reverse("istok_catalog:product_list")}">Выбрать мебель в каталоге</a>' in main


def fake_app_modules(monkeypatch, installed, **modules):
    """Compose the dashboard as if exactly ``installed`` apps were there, with ``modules``
    ({dotted name: attributes}) standing for their selectors."""
    monkeypatch.setattr(views.apps, "is_installed", lambda app: app in installed)
    for name, attributes in modules.items():
        monkeypatch.setitem(sys.modules, name, types.SimpleNamespace(**attributes))


def test_the_dashboard_has_a_panel_per_installed_app_only(customer, monkeypatch):
    fake_app_modules(monkeypatch, installed=set())
    assert views.dashboard(customer) == {}
    if apps.is_installed("istok_loyalty"):
        fake_app_modules(monkeypatch, installed={"istok_loyalty"})
        assert set(views.dashboard(customer)) == {"points_panel"}


def test_the_next_appointment_and_the_open_conversation_show_when_their_apps_are_there(
    customer_client, customer, monkeypatch
):
    appointment = types.SimpleNamespace(
        starts_at=datetime(2027, 3, 4, 9, 30, tzinfo=UTC),
        kind="Замер на дому",
        get_absolute_url=lambda: "/booking/7/",
    )
    conversation = types.SimpleNamespace(last_activity=datetime(2027, 3, 1, 15, 0, tzinfo=UTC))
    asked = []
    fake_app_modules(
        monkeypatch,
        installed={"istok_booking", "istok_support"},
        **{
            "istok_booking.selectors": {
                "next_appointment_for": lambda user: asked.append(user) or appointment
            },
            "istok_support.selectors": {"open_conversation_for": lambda user: conversation},
        },
    )
    main = main_of(customer_client.get("/"))
    assert asked == [customer]
    assert "Ближайшая встреча" in main
    assert "4 марта 2027" in main and "12:30" in main  # in the site's zone (Moscow)
    assert "Замер на дому" in main and 'href="/booking/7/"' in main
    assert "Продолжить диалог" in main and "1 марта 2027" in main

    # An appointment without get_absolute_url: the booking app's own page of it.
    del appointment.get_absolute_url
    appointment.pk = 7
    main = main_of(customer_client.get("/"))
    page = views.url_or_none("istok_booking:appointment_detail", 7)
    assert (f'href="{page}"' in main) if page else "Подробнее" not in main
    assert "Мои заказы" not in main  # istok_orders "not installed" here

    # Nothing planned, nothing open: the panels offer the next step instead.
    fake_app_modules(
        monkeypatch,
        installed={"istok_booking", "istok_support"},
        **{
            "istok_booking.selectors": {"next_appointment_for": lambda user: None},
            "istok_support.selectors": {"open_conversation_for": lambda user: None},
        },
    )
    main = main_of(customer_client.get("/"))
    assert "Встреч пока не запланировано." in main
    assert "Задать вопрос" in main


def test_an_app_without_the_selector_has_no_panel_and_no_error(customer_client, monkeypatch):
    fake_app_modules(monkeypatch, installed={"istok_booking"}, **{"istok_booking.selectors": {}})
    response = customer_client.get("/")
    assert response.status_code == 200
    assert "Ближайшая встреча" not in main_of(response)


# Error pages ----------------------------------------------------------------------------------


def boom(request):
    raise RuntimeError("a bug")


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise BadRequest


def missing(request):
    raise Http404("No Order matches the given query.")


# The project's URLs and views that fail in each way (handler400/403/404/500 are Django's
# defaults: they render the project's templates).
urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("bad/", bad),
    path("missing/", missing),
    path("", include("demo.urls")),
]

TITLES = {
    ("ru", 400): "Неверный запрос",
    ("en", 400): "Bad request",
    ("ru", 403): "Доступ запрещён",
    ("en", 403): "Access denied",
    ("ru", 404): "Страница не найдена",
    ("en", 404): "Page not found",
    ("ru", 500): "Что-то пошло не так на нашей стороне",
    ("en", 500): "Something went wrong on our side",
}


def assert_portal_error_page(response, status, language):
    assert response.status_code == status
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert 'href="/static/demo/portal.css"' in html  # the portal's layout
    assert f'<p class="istok-error__code" aria-hidden="true">{status}</p>' in html
    assert TITLES[language, status] in html
    home = "На главную" if language == "ru" else "Go to the home page"
    assert f'href="/">{home}</a>' in html
    # Never Django's technical page, nor what the exception said.
    assert "Django" not in html.replace("Django-приложениях", "").replace("Django apps", "")
    assert "Traceback" not in html and "No Order matches" not in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_error_is_the_portals_page_in_the_visitors_language(settings, debug, language):
    settings.DEBUG = debug
    client = Client(raise_request_exception=False)
    assert_portal_error_page(get_in(client, "/missing/", language), 404, language)
    assert_portal_error_page(get_in(client, "/no/such/page/", language), 404, language)
    assert_portal_error_page(get_in(client, "/forbidden/", language), 403, language)
    if not debug:  # with DEBUG Django shows its technical page for a 400 and a 500
        assert_portal_error_page(get_in(client, "/bad/", language), 400, language)
        assert_portal_error_page(get_in(client, "/boom/", language), 500, language)


@needs_orders
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_a_customer_opening_someone_elses_order_gets_the_portals_404(
    customer_client, demo, settings, debug, language
):
    from istok_orders import selectors

    settings.DEBUG = debug
    number = selectors.customer_orders(demo).get().number
    response = get_in(
        customer_client, reverse("istok_orders:order_detail", args=[number]), language
    )
    assert_portal_error_page(response, 404, language)
    html = response.content.decode()
    assert number not in main_of(response)
    # The customer's own menu is there: they are still signed in.
    assert f'action="{reverse("istok_accounts:logout")}"' in html
    assert f'href="{reverse("istok_orders:order_list")}"' in main_of(response)


@pytest.mark.django_db
def test_a_missing_slash_still_redirects(client):
    response = client.get("/accounts/login")
    assert response.status_code == 301
    assert response["Location"] == "/accounts/login/"


@pytest.mark.django_db
def test_the_api_keeps_its_json_404(client):
    response = client.get("/api/orders/no-such-order/")
    assert response.status_code in (403, 404)
    assert response["Content-Type"].startswith("application/json")


# Navigation, signing out, icon ---------------------------------------------------------------


@needs_orders
def test_the_menu_marks_the_current_section_on_its_sub_pages(customer_client, customer):
    from istok_orders import services

    order = services.create_order(
        customer, actor=customer, lines=[{"name": "Шкаф", "unit_price": "84000"}]
    )
    orders = reverse("istok_orders:order_list")
    html = customer_client.get(reverse("istok_orders:order_detail", args=[order.number]))
    assert f'<a href="{orders}" aria-current="true">' in html.content.decode()
    assert (
        f'<a href="{orders}" aria-current="page">' in customer_client.get(orders).content.decode()
    )
    profile = reverse("istok_accounts:profile")
    html = customer_client.get(reverse("istok_accounts:consents")).content.decode()
    assert f'<a href="{profile}" aria-current="true">' in html
    html = customer_client.get("/").content.decode()
    assert 'aria-current="true"' not in html and 'aria-current="page"' not in html


@needs_loyalty
def test_a_footer_page_is_no_section_of_the_menu(customer_client):
    html = customer_client.get(reverse("istok_loyalty:news_list")).content.decode()
    header = html[: html.index("</header>")]
    assert "aria-current" not in header


@pytest.mark.parametrize("language", ["ru", "en"])
def test_signing_out_says_so_on_the_next_page(customer_client, language):
    customer_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = customer_client.post(reverse("istok_accounts:logout"), follow=True)
    assert response.request["PATH_INFO"] == "/"
    text = "Вы вышли из личного кабинета." if language == "ru" else "You have signed out."
    assert text in response.content.decode()
    # Once only.
    assert text not in customer_client.get("/").content.decode()


def test_deleting_the_account_does_not_also_say_signed_out(customer_client):
    response = customer_client.post(
        reverse("istok_accounts:delete"), {"password": "a-long-secret-42"}, follow=True
    )
    html = response.content.decode()
    assert "Вы вышли из личного кабинета." not in html


@pytest.mark.django_db
def test_one_english_word_for_the_catalog(client):
    if not apps.is_installed("istok_catalog"):
        pytest.skip("istok_catalog is not composed")
    html = get_in(client, reverse("istok_catalog:product_list"), "en").content.decode()
    assert ">Catalog</a>" in html
    assert "Catalogue" not in html


@pytest.mark.django_db
def test_the_site_icon_is_linked_and_served(client):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/istok_core/img/favicon.svg"' in html
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/istok_core/img/favicon.ico"


# load_demo ------------------------------------------------------------------------------------


# Real commits: the emails go after each commit, as in `manage.py load_demo`.
# serialized_rollback: the next tests find the data the migrations seed.
load_demo_commits = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@needs_orders
@load_demo_commits
def test_load_demo_lists_the_emails_it_sent_readably_before_the_logins(mailoutbox):
    out = StringIO()
    call_command("load_demo", stdout=out)
    output = out.getvalue()
    assert "Content-Transfer-Encoding" not in output and "=?utf-8?" not in output
    sent = re.search(r"Emails the demo data sent \((\d+), not delivered\):", output)
    # Each email on one line: who gets it and its subject, decoded.
    assert "  to demo@example.com: Заказ № 2026-00001: новый документ" in output
    assert output.index("Emails the demo data sent") < output.index("Sign in with:")
    # Sent to Django's in-memory outbox, as a test's own emails are, and all listed.
    assert int(sent.group(1)) == len(mailoutbox) >= 3
    for message in mailoutbox:
        assert f"  to {', '.join(message.to)}: {message.subject}\n" in output


@needs_orders
@load_demo_commits
def test_load_demo_prints_no_raw_email_whatever_the_projects_backend(settings, capsys):
    from demo.management.commands.load_demo import IN_MEMORY_EMAIL

    # The project's own backend (the console's, as in development), in the setting this
    # Django reads.
    console = "django.core.mail.backends.console.EmailBackend"
    for name in IN_MEMORY_EMAIL:
        setattr(
            settings, name, {"default": {"BACKEND": console}} if name == "MAILERS" else console
        )
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Subject:" not in capsys.readouterr().out
    assert "Emails the demo data sent" in out.getvalue()


# The home page with istok-accounts alone --------------------------------------------------------

ALONE = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
call_command("migrate", verbosity=0)
client = Client()
visitor = client.get("/").content.decode()
user = get_user_model().objects.create_user("olga", "olga@example.com", "a-long-secret-42")
client.force_login(user)
customer = client.get("/").content.decode()
print("VISITOR", "Кухни" in visitor, "/catalog/" in visitor, "/api/docs/" in visitor)
print("CUSTOMER", "istok-home-panel--profile" in customer, "istok-home-panel--" in
      customer.replace("istok-home-panel--profile", ""))
"""


def test_the_home_page_works_with_istok_accounts_alone(tmp_path):
    """ISTOK_DEMO_APPS=istok_accounts: no catalog, orders, loyalty, booking, support. The
    visitor still reads the offers (without catalog links), the customer gets the profile
    panel alone, and nothing fails for want of the other apps."""
    env = {
        **os.environ,
        "ISTOK_DEMO_APPS": "istok_accounts",
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'alone.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", ALONE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "VISITOR True False True" in result.stdout  # the API link: the footer's
    assert "CUSTOMER True False" in result.stdout


@needs_orders
def test_the_dashboard_costs_the_same_few_queries_however_many_orders(
    customer_client, customer, django_assert_max_num_queries
):
    from istok_orders import services

    def create(count):
        for _ in range(count):
            services.create_order(
                customer, actor=customer, lines=[{"name": "Шкаф", "unit_price": "84000"}]
            )

    create(1)
    with django_assert_max_num_queries(15) as few:
        customer_client.get("/")
    create(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = customer_client.get("/")
    # The newest three, and a link to all of them.
    assert response.content.decode().count('class="istok-home-orders__item"') == 3
    assert "Все мои заказы" in response.content.decode()
