"""WebSocket routes of istok_support (the ``[realtime]`` extra). In the project's
``asgi.py``::

    from channels.auth import AuthMiddlewareStack
    from channels.routing import ProtocolTypeRouter, URLRouter
    from channels.security.websocket import AllowedHostsOriginValidator
    from django.core.asgi import get_asgi_application

    django_asgi = get_asgi_application()  # before importing consumers

    from istok_support.routing import websocket_urlpatterns

    application = ProtocolTypeRouter({
        "http": django_asgi,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    })
"""

from django.urls import path

from . import consumers

websocket_urlpatterns = [
    path(
        "ws/support/conversations/<int:pk>/",
        consumers.ConversationConsumer.as_asgi(),
        name="istok_support_ws_conversation",
    ),
    path("ws/support/inbox/", consumers.InboxConsumer.as_asgi(), name="istok_support_ws_inbox"),
]
