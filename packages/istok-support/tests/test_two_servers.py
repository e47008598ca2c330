"""Two ASGI server processes (daphne) on loopback, sharing PostgreSQL and Redis: a
specialist's reply posted to one reaches the customer's WebSocket connected to the other.
This is what running several servers behind a load balancer needs."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from istok_support.models import ChatMessage
from istok_support.testing.factories import make_conversation

from .wsclient import WebSocket

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PACKAGE_DIR = Path(__file__).resolve().parent.parent
CSRF = "k" * 32  # a CSRF secret both the cookie and the header carry


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url():
    db = connection.settings_dict  # the test database, which the servers must share
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def wait_for(port, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server on {port} exited:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server on {port} did not start:\n{log.read_text()}")


class Servers(list):
    """The servers' ports, and their logs for a failing test's message."""

    def __init__(self, ports, logs):
        super().__init__(ports)
        self.logs = logs

    def output(self):
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in self.logs)


@pytest.fixture(scope="module")
def servers(django_db_setup, tmp_path_factory):
    """Two daphne processes serving the tests' ASGI application on the test database
    (started once for this module's tests)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two server processes share the test database")
    tmp_path = tmp_path_factory.mktemp("servers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.server_settings",
        "ISTOK_SUPPORT_TEST_BASE_SETTINGS": settings.SETTINGS_MODULE,
        "DATABASE_URL": database_url(),
        "ISTOK_SUPPORT_TEST_LAYER_PREFIX": settings.CHANNEL_LAYER_PREFIX,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PACKAGE_DIR), os.environ.get("PYTHONPATH")])
        ),
    }
    started = []
    try:
        for name in ("a", "b"):
            port, log = free_port(), tmp_path / f"daphne-{name}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
                + ["tests.asgi:application"],
                cwd=PACKAGE_DIR,
                env=env,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
            )
            started.append((port, process, log))
        for port, process, log in started:
            wait_for(port, process, log)
        yield Servers([port for port, _process, _log in started], [log for *_rest, log in started])
    finally:
        for _port, process, _log in started:
            process.terminate()
        for _port, process, _log in started:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def session_of(user):
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def test_a_reply_posted_to_one_server_reaches_the_customer_on_the_other(servers, customer, staff):
    server_a, server_b = servers
    conversation = make_conversation(customer, handed_off=True, specialist=staff)

    customer_socket = WebSocket(
        "127.0.0.1",
        server_a,
        f"/ws/support/conversations/{conversation.pk}/",
        cookie=f"sessionid={session_of(customer)}",
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{server_b}/api/support/conversations/{conversation.pk}/reply/",
            data=json.dumps({"text": "Your kitchen ships on Monday."}).encode(),
            headers={
                "Content-Type": "application/json",
                "Cookie": f"sessionid={session_of(staff)}; csrftoken={CSRF}",
                "X-CSRFToken": CSRF,
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=20) as response:
            assert response.status in (200, 201)

        try:
            event = customer_socket.receive_json()
            while event["type"] != "message":
                event = customer_socket.receive_json()
        except Exception as exc:
            raise AssertionError(f"{exc}\n{servers.output()}") from exc
    finally:
        customer_socket.close()

    assert event["message"]["text"] == "Your kitchen ships on Monday."
    assert event["message"]["sender_kind"] == "specialist"
    # Written by server B's process into the shared database.
    saved = ChatMessage.objects.get(pk=event["message"]["id"])
    assert saved.sender == staff
    assert saved.conversation == conversation


def test_another_customers_socket_is_refused_by_a_real_server(servers, customer, other_customer):
    from .wsclient import WebSocketError

    conversation = make_conversation(customer)
    with pytest.raises(WebSocketError, match="handshake refused"):
        WebSocket(
            "127.0.0.1",
            servers[0],
            f"/ws/support/conversations/{conversation.pk}/",
            cookie=f"sessionid={session_of(other_customer)}",
        )
