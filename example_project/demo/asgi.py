"""ASGI entry point: what `runserver` serves (daphne, ``make demo``) and
``daphne demo.asgi:application`` (DJANGO_SETTINGS_MODULE for production).

With istok_support and Django Channels installed (``CHANNEL_LAYERS`` is then set, see
settings.py), WebSocket connections go to the support chat's consumers: the user is the
session's, and the browser's Origin must be one of ``ALLOWED_HOSTS``. Everything else is
Django's ordinary ASGI handler. On start it says which channel layer carries the chat.
"""

import os
import sys

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

# Django is set up here, before the consumers (and the models they import) are imported.
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402

if getattr(settings, "CHANNEL_LAYERS", None):
    from channels.auth import AuthMiddlewareStack
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator

    from istok_support.routing import websocket_urlpatterns

    application = ProtocolTypeRouter(
        {
            "http": django_application,
            "websocket": AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        }
    )
    if "RedisChannelLayer" in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        layer = f"Redis at {settings.REDIS_URL} (shared by every server process)"
    else:
        layer = "Channels' in-memory layer (one process; set REDIS_URL to use Redis)"
    print(f"Support chat over WebSocket: {layer}.", file=sys.stderr, flush=True)
else:
    application = django_application
