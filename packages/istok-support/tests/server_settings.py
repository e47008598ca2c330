"""Settings of the ASGI servers that test_two_servers.py starts: the tests' settings
(the database and the Redis prefix come from the environment the test gives them), and
a URLconf with the support API."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "tests.server_urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
