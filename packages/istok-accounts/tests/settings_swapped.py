"""The same tests with a project's own user model that inherits AbstractIstokUser."""

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405
AUTH_USER_MODEL = "testapp.Customer"
