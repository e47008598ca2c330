"""The same tests with django-axes locking out repeated failed sign-ins, set up as the
README recommends."""

from datetime import timedelta

from .settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "axes"]  # noqa: F405
# Last, as axes' documentation asks: it turns a lockout into the response.
MIDDLEWARE = [*MIDDLEWARE, "axes.middleware.AxesMiddleware"]  # noqa: F405
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *AUTHENTICATION_BACKENDS,  # noqa: F405
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "istok_accounts.limits.axes_username"
AXES_LOCKOUT_CALLABLE = "istok_accounts.limits.axes_lockout_response"
AXES_CLIENT_IP_CALLABLE = "istok_core.throttling.client_address"
