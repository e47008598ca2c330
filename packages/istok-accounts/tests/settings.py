"""Settings for istok_accounts' own tests: this app, Django's contrib apps and DRF
(istok_core.testing.settings has what every istok suite shares).

``DATABASE_URL`` picks the database (PostgreSQL in CI); SQLite in memory otherwise.
"""

from istok_core.testing.settings import suite_settings

globals().update(suite_settings(apps=["istok_accounts"]))

AUTH_USER_MODEL = "istok_accounts.User"
AUTHENTICATION_BACKENDS = ["istok_accounts.backends.EmailOrUsernameBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "istok_accounts:login"
LOGIN_REDIRECT_URL = "istok_accounts:profile"
LOGOUT_REDIRECT_URL = "/"
