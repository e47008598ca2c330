"""The portal as a customer uses it, in a real browser (Debian's Chromium via Playwright).

The demo's promise, end to end and in Russian: sign up (consent required), see a low
profile completion, fill the profile in to 100%, download the data, delete the account.
Set ISTOK_SCREENSHOTS=<dir> to keep a screenshot of every step.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def page(live_server, monkeypatch):
    if CHROMIUM is None:
        pytest.skip("needs Chromium: apt-get install chromium (CI installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (dev)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(locale="ru-RU", accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        browser.close()
    if connection.vendor == "postgresql":
        # A request the browser abandoned (the download) never finishes, so its server
        # thread keeps its database session open and the test database could not be
        # dropped: end those sessions.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def shot(page, name):
    directory = os.environ.get("ISTOK_SCREENSHOTS")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{directory}/{name}.png", full_page=True)


def submit(page, form_selector):
    page.locator(f"main {form_selector} button[type=submit]").first.click()
    page.wait_for_load_state()


def test_customer_signs_up_completes_profile_downloads_data_and_leaves(page, live_server):
    User = get_user_model()
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.fill("#id_username", "marina")
    page.fill("#id_email", "marina@example.com")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    submit(page, "form.istok-form")
    # Without the personal data consent the browser does not even send the form (the
    # server refuses it too: tests of istok_accounts), and nobody is created.
    consent = page.locator("#id_personal_data_consent")
    assert consent.evaluate("checkbox => checkbox.validity.valueMissing")
    assert "согласие на обработку" in page.locator("main").inner_text()
    assert not User._default_manager.filter(username="marina").exists()
    shot(page, "1-signup-consent-required")

    consent.check()
    submit(page, "form.istok-form")
    assert page.url.endswith("/accounts/profile/")
    assert page.locator("progress.istok-progress").get_attribute("value") == "0"
    shot(page, "2-profile-empty")

    page.goto(f"{live_server.url}/accounts/profile/edit/")
    page.fill("#id_first_name", "Марина")
    page.fill("#id_last_name", "Иванова")
    page.fill("#id_phone", "+7 912 345-67-89")
    page.check("input[name=has_children][value=yes]")
    page.check("input[name=renovation_planned][value=true]")
    page.check("input[name=renovation_stage][value=soon]")
    page.check("input[name=rooms][value=kitchen]")
    page.check("input[name=rooms][value=hallway]")
    submit(page, "form.istok-form--profile")
    assert page.url.endswith("/accounts/profile/")
    assert page.locator("progress.istok-progress").get_attribute("value") == "100"
    assert "Кухня" in page.locator("main").inner_text()
    shot(page, "3-profile-complete")

    page.goto(f"{live_server.url}/accounts/data/")
    with page.expect_download() as download_info:
        page.locator("main a[download]").click()
    data = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert data["istok_accounts"]["email"] == "marina@example.com"
    assert sorted(data["istok_accounts"]["rooms"]) == ["hallway", "kitchen"]

    page.goto(f"{live_server.url}/accounts/delete/")
    page.fill("#id_password", PASSWORD)
    submit(page, "form.istok-form")
    shot(page, "4-deleted")
    user = User._default_manager.get(email="", username__startswith="erased-")
    assert not user.is_active
    page.goto(f"{live_server.url}/accounts/profile/")
    assert "/accounts/login/" in page.url
