"""The admin: conversations and messages read-only, the actions through the services, a
refusal as an admin message (never an error page)."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from istok_support import services
from istok_support.models import ChatMessage, Conversation
from istok_support.testing.factories import make_conversation, png_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, staff):
    staff.is_superuser = True
    staff.save(update_fields=["is_superuser"])
    client.force_login(staff)
    return client


def changelist():
    return reverse("admin:istok_support_conversation_changelist")


def act(client, action, *conversations):
    return client.post(
        changelist(),
        {"action": action, ACTION_CHECKBOX_NAME: [c.pk for c in conversations]},
        follow=True,
    )


def test_the_list_and_the_change_page_show_the_conversation_and_its_messages(
    admin_client, customer
):
    conversation = make_conversation(customer, handed_off=True)
    services.post_customer_message(
        conversation, customer, "Photo of the door", attachment=png_file("door.png")
    )
    listing = admin_client.get(changelist())
    assert listing.status_code == 200
    assert str(conversation) in listing.content.decode()
    page = admin_client.get(
        reverse("admin:istok_support_conversation_change", args=[conversation.pk])
    ).content.decode()
    assert "Photo of the door" in page
    message = ChatMessage.objects.exclude(attachment="").get()
    assert reverse("istok_support:attachment", kwargs={"pk": message.pk}) in page
    assert reverse("istok_support:staff_conversation", kwargs={"pk": conversation.pk}) in page
    assert admin_client.get(changelist() + "?q=door").status_code == 200
    messages = admin_client.get(reverse("admin:istok_support_chatmessage_changelist"))
    assert "Photo of the door" in messages.content.decode()


def test_nothing_is_added_or_deleted_in_the_admin(admin_client, customer):
    conversation = make_conversation(customer)
    assert admin_client.get(reverse("admin:istok_support_conversation_add")).status_code == 403
    delete = reverse("admin:istok_support_conversation_delete", args=[conversation.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    message = conversation.messages.first()
    change = reverse("admin:istok_support_chatmessage_change", args=[message.pk])
    admin_client.post(change, {"text": "changed"})
    message.refresh_from_db()
    assert message.text != "changed"
    assert Conversation.objects.filter(pk=conversation.pk).exists()


def test_take_and_close_actions_call_the_services(admin_client, staff):
    first = make_conversation(handed_off=True)
    second = make_conversation(handed_off=True)
    response = act(admin_client, "take", first, second)
    assert "2 conversations taken." in response.content.decode()
    for conversation in (first, second):
        conversation.refresh_from_db()
        assert conversation.specialist == staff
    response = act(admin_client, "close", first)
    assert "1 conversation closed." in response.content.decode()
    first.refresh_from_db()
    assert first.is_closed


def test_a_refused_action_is_an_admin_message(admin_client, other_staff):
    taken = make_conversation(handed_off=True, specialist=other_staff)
    closed = make_conversation()
    services.close(closed, closed.customer)
    response = act(admin_client, "take", taken, closed)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Pavel has already taken this conversation." in content
    assert "This conversation is closed." in content
    taken.refresh_from_db()
    assert taken.specialist == other_staff


def test_a_conversation_deleted_meanwhile_is_an_admin_message(admin_client, monkeypatch):
    from django.http import Http404

    conversation = make_conversation(handed_off=True)

    def gone(conversation, actor):
        raise Http404("No such conversation.")

    monkeypatch.setattr(services, "take", gone)
    response = act(admin_client, "take", conversation)
    assert response.status_code == 200
    assert "It has been deleted meanwhile." in response.content.decode()


def test_the_topic_filter_names_a_conversation_without_a_topic(admin_client, customer):
    make_conversation(customer)  # no topic chosen yet
    html = admin_client.get(changelist(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '?topic=">(blank)</a>' in html
