"""The ASGI application of the tests: Django for HTTP, istok_support's WebSocket routes
behind the session's authentication (as a project's ``asgi.py`` composes them)."""

from django.core.asgi import get_asgi_application

django_asgi = get_asgi_application()  # sets Django up before the consumers are imported

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from istok_support.routing import websocket_urlpatterns  # noqa: E402

websocket = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
application = ProtocolTypeRouter({"http": django_asgi, "websocket": websocket})
