"""The pages: the customer's chat (without JavaScript: forms that post), the history, the
staff's inbox and conversation, an attachment download; and that nobody else opens them."""

import pytest
from django.apps import apps
from django.urls import reverse

from istok_support import services
from istok_support.models import ChatMessage, Conversation
from istok_support.testing.factories import make_conversation, make_customer, make_staff, png_file

pytestmark = pytest.mark.django_db

CHAT = "istok_support:conversation"


def chat_url():
    return reverse(CHAT)


def detail_url(conversation):
    return reverse("istok_support:conversation_detail", kwargs={"pk": conversation.pk})


def staff_url(conversation):
    return reverse("istok_support:staff_conversation", kwargs={"pk": conversation.pk})


def attachment_url(message):
    return reverse("istok_support:attachment", kwargs={"pk": message.pk})


@pytest.fixture
def logged_in(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def texts(conversation):
    return list(conversation.messages.order_by("pk").values_list("sender_kind", "text"))


# The chat ---------------------------------------------------------------------------------


def test_opening_the_chat_starts_a_conversation_and_the_bot_greets_with_buttons(
    logged_in, customer
):
    response = logged_in.get(chat_url())
    assert response.status_code == 200
    assert [t.name for t in response.templates][:2] == [
        "istok_support/conversation.html",
        "istok/base.html",
    ]
    conversation = Conversation.objects.get(customer=customer)
    content = response.content.decode()
    assert "What is your question about?" in content
    for label in (
        "I want to place an order",
        "Expert consultation",
        "About my current order",
        "Service support",
        "Connect me to a specialist",
    ):
        assert f">{label}</button>" in content
    assert 'name="action"' in content
    assert 'role="log"' in content and 'aria-live="polite"' in content
    # Opening it again is the same conversation, not a second one.
    logged_in.get(chat_url())
    assert Conversation.objects.filter(customer=customer).count() == 1
    assert conversation.messages.count() == 1


def test_the_chat_sends_a_visitor_to_log_in(client):
    response = client.get(chat_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=")
    assert not Conversation.objects.exists()


def test_pressing_a_button_without_javascript_posts_and_shows_the_answer(logged_in, customer):
    logged_in.get(chat_url())
    response = logged_in.post(chat_url(), {"action": "service"})
    assert response.status_code == 302
    assert response["Location"] == chat_url() + "#istok-support-chat"
    page = logged_in.get(response["Location"]).content.decode()
    assert "Tell us what happened" in page
    conversation = Conversation.objects.get(customer=customer)
    assert conversation.topic == "service"


def test_typing_a_message_without_javascript(logged_in, customer):
    logged_in.get(chat_url())
    logged_in.post(chat_url(), {"action": "handoff"})
    response = logged_in.post(chat_url(), {"text": "My <b>door</b> squeaks"}, follow=True)
    content = response.content.decode()
    assert "My &lt;b&gt;door&lt;/b&gt; squeaks" in content
    assert "<b>door</b>" not in content
    conversation = Conversation.objects.get(customer=customer)
    # After the hand-off the bot is silent: the last message is the customer's.
    assert texts(conversation)[-1] == ("customer", "My <b>door</b> squeaks")


def test_an_empty_message_is_a_form_error_and_nothing_is_saved(logged_in, customer):
    logged_in.get(chat_url())
    response = logged_in.post(chat_url(), {"text": "   "})
    assert response.status_code == 400
    assert "Type a message or attach a file." in response.content.decode()
    assert Conversation.objects.get(customer=customer).messages.count() == 1


def test_a_too_long_message_is_a_translated_form_error(logged_in, customer, settings):
    settings.ISTOK_SUPPORT_MAX_MESSAGE_LENGTH = 10
    logged_in.get(chat_url())
    response = logged_in.post(chat_url(), {"text": "x" * 11}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    content = response.content.decode()
    assert 'maxlength="10"' in content
    assert "11" in content and 'aria-invalid="true"' in content
    assert Conversation.objects.get(customer=customer).messages.count() == 1


def test_the_rate_limit_is_a_clear_error(logged_in, customer, settings):
    settings.ISTOK_SUPPORT_RATE_LIMIT = 2
    logged_in.get(chat_url())
    logged_in.post(chat_url(), {"action": "handoff"})
    logged_in.post(chat_url(), {"text": "one"})
    response = logged_in.post(chat_url(), {"text": "two"})
    assert response.status_code == 429
    assert "too fast" in response.content.decode()
    assert texts(Conversation.objects.get(customer=customer))[-1] == ("customer", "one")


def test_an_unknown_button_is_an_error_not_a_500(logged_in):
    logged_in.get(chat_url())
    response = logged_in.post(chat_url(), {"action": "order:999999"})
    assert response.status_code == 400
    assert "no longer offered" in response.content.decode()


def test_an_image_is_attached_and_downloaded_by_its_customer_and_staff(
    logged_in, customer, client, staff
):
    logged_in.get(chat_url())
    logged_in.post(chat_url(), {"action": "handoff"})
    response = logged_in.post(chat_url(), {"text": "", "attachment": png_file("broken.png")})
    assert response.status_code == 302
    message = ChatMessage.objects.exclude(attachment="").get()
    page = logged_in.get(chat_url()).content.decode()
    assert attachment_url(message) in page
    download = logged_in.get(attachment_url(message))
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert "no-store" in download["Cache-Control"]
    client.force_login(staff)
    assert client.get(attachment_url(message)).status_code == 200


def test_a_file_that_is_not_an_image_or_pdf_is_refused(logged_in):
    from django.core.files.uploadedfile import SimpleUploadedFile

    logged_in.get(chat_url())
    fake = SimpleUploadedFile("x.png", b"<html>not an image</html>", content_type="image/png")
    response = logged_in.post(chat_url(), {"text": "look", "attachment": fake})
    assert response.status_code == 400
    assert "Attach an image" in response.content.decode()
    assert not ChatMessage.objects.exclude(attachment="").exists()


def test_ending_the_conversation_then_rating_it(logged_in, customer):
    logged_in.get(chat_url())
    conversation = Conversation.objects.get(customer=customer)
    response = logged_in.post(chat_url(), {"close": "1"})
    assert response["Location"] == detail_url(conversation)
    page = logged_in.get(detail_url(conversation)).content.decode()
    assert "This conversation is closed." in page and 'name="rating"' in page
    assert logged_in.post(detail_url(conversation), {"rating": "5"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.rating == 5
    bad = logged_in.post(detail_url(conversation), {"rating": "9"})
    assert bad.status_code == 400
    # The chat page then starts a new one.
    logged_in.get(chat_url())
    assert Conversation.objects.filter(customer=customer).count() == 2


def test_history_lists_only_mine_with_unread_answers(logged_in, customer, other_customer, staff):
    mine = make_conversation(customer, handed_off=True)
    services.staff_reply(mine, staff, "Hello Anna")
    theirs = make_conversation(other_customer)
    response = logged_in.get(reverse("istok_support:history"))
    content = response.content.decode()
    assert detail_url(mine) in content
    assert detail_url(theirs) not in content
    assert "istok-support-unread" in content


def test_the_chat_runs_the_same_queries_for_many_messages(
    logged_in, customer, staff, django_assert_max_num_queries
):
    conversation = make_conversation(customer, handed_off=True)
    services.staff_reply(conversation, staff, "first")
    logged_in.get(chat_url())
    with django_assert_max_num_queries(14) as few:
        logged_in.get(chat_url())
    for number in range(15):
        services.staff_reply(conversation, staff, f"answer {number}")
        services.post_customer_message(conversation, customer, f"question {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = logged_in.get(chat_url())
    assert "answer 14" in response.content.decode()


# Nobody else ------------------------------------------------------------------------------


@pytest.fixture
def strangers_conversation(other_customer, staff):
    conversation = make_conversation(other_customer, handed_off=True)
    services.post_customer_message(
        conversation, other_customer, "private", attachment=png_file("mine.png")
    )
    return conversation


@pytest.mark.parametrize("who", ["anonymous", "customer", "staff_without_permission"])
def test_someone_elses_conversation_message_and_attachment_are_404(
    client, customer, strangers_conversation, who
):
    if who == "customer":
        client.force_login(customer)
    elif who == "staff_without_permission":
        client.force_login(make_staff(permissions=()))
    message = strangers_conversation.messages.exclude(attachment="").get()
    for url in (
        detail_url(strangers_conversation),
        attachment_url(message),
        staff_url(strangers_conversation),
        reverse("istok_support:staff_inbox"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"private" not in response.content
    assert client.post(detail_url(strangers_conversation), {"text": "hi"}).status_code == 404
    assert client.post(staff_url(strangers_conversation), {"text": "hi"}).status_code == 404
    assert strangers_conversation.messages.filter(text="hi").count() == 0


def test_a_visitors_404_offers_to_log_in(client, strangers_conversation):
    response = client.get(detail_url(strangers_conversation))
    assert response.status_code == 404
    assert "/login/?next=" in response.content.decode()


def test_a_conversation_number_that_does_not_exist_is_404(logged_in):
    assert logged_in.get("/support/999999/").status_code == 404
    assert logged_in.get("/support/attachments/999999/").status_code == 404


# Staff ------------------------------------------------------------------------------------


def test_the_inbox_lists_waiting_mine_and_all_with_unread_counts(staff_client, staff):
    waiting = make_conversation(make_customer(first_name="Vera"), handed_off=True)
    services.post_customer_message(waiting, waiting.customer, "Hello?")
    taken = make_conversation(make_customer(first_name="Ivan"), handed_off=True)
    services.take(taken, staff)
    with_bot = make_conversation(make_customer(first_name="Lev"))
    inbox = reverse("istok_support:staff_inbox")

    page = staff_client.get(inbox).content.decode()
    assert staff_url(waiting) in page
    assert staff_url(taken) not in page and staff_url(with_bot) not in page
    assert "Waiting (1)" in page and "Mine (1)" in page
    assert 'class="istok-badge istok-support-unread">1<' in page

    mine = staff_client.get(inbox + "?filter=mine").content.decode()
    assert staff_url(taken) in mine and staff_url(waiting) not in mine
    everything = staff_client.get(inbox + "?filter=all").content.decode()
    for conversation in (waiting, taken, with_bot):
        assert staff_url(conversation) in everything
    assert staff_client.get(inbox + "?filter=nonsense").status_code == 200


def test_the_inbox_runs_the_same_queries_for_many_conversations(
    staff_client, django_assert_max_num_queries
):
    inbox = reverse("istok_support:staff_inbox") + "?filter=all"
    make_conversation(handed_off=True)
    staff_client.get(inbox)
    with django_assert_max_num_queries(12) as few:
        staff_client.get(inbox)
    for _ in range(8):
        make_conversation(handed_off=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(inbox)


def test_staff_take_reply_and_close(staff_client, staff, customer):
    conversation = make_conversation(customer, handed_off=True)
    page = staff_client.get(staff_url(conversation)).content.decode()
    assert "Take the conversation" in page
    assert staff_client.post(staff_url(conversation), {"op": "take"}).status_code == 302
    conversation.refresh_from_db()
    assert conversation.specialist == staff
    assert conversation.status == Conversation.Status.WITH_SPECIALIST

    staff_client.post(staff_url(conversation), {"text": "We will come on Monday."})
    assert texts(conversation)[-1] == ("specialist", "We will come on Monday.")
    customer_page = staff_client.get(staff_url(conversation)).content.decode()
    assert "We will come on Monday." in customer_page

    staff_client.post(staff_url(conversation), {"op": "close"})
    conversation.refresh_from_db()
    assert conversation.is_closed


def test_taking_a_conversation_another_specialist_has_is_a_message_not_a_500(
    staff_client, staff, other_staff
):
    conversation = make_conversation(handed_off=True, specialist=other_staff)
    response = staff_client.post(staff_url(conversation), {"op": "take"}, follow=True)
    assert response.status_code == 200
    assert "Pavel has already taken this conversation." in response.content.decode()
    conversation.refresh_from_db()
    assert conversation.specialist == other_staff


def test_a_staff_member_who_may_only_view_reads_but_cannot_answer(client, customer):
    viewer = make_staff(permissions=("view_conversation",))
    conversation = make_conversation(customer, handed_off=True)
    client.force_login(viewer)
    page = client.get(staff_url(conversation)).content.decode()
    assert "What is your question about?" in page
    assert 'name="text"' not in page and "Take the conversation" not in page
    assert client.post(staff_url(conversation), {"text": "hi"}).status_code == 404
    assert not conversation.messages.filter(text="hi").exists()


@pytest.mark.skipif(apps.is_installed("istok_orders"), reason="istok_orders is installed")
def test_the_staff_page_without_istok_orders_says_so(staff_client, customer):
    conversation = make_conversation(customer, handed_off=True)
    page = staff_client.get(staff_url(conversation)).content.decode()
    assert "Orders are not installed on this site." in page


# The script ---------------------------------------------------------------------------------


def test_the_chat_gives_its_script_the_api_and_the_websocket(logged_in, customer, settings):
    page = logged_in.get(chat_url()).content.decode()
    conversation = Conversation.objects.get(customer=customer)
    assert "istok_support/chat.js" in page
    assert f'data-messages-url="/api/support/conversations/{conversation.pk}/messages/"' in page
    assert f'data-socket-url="/ws/support/conversations/{conversation.pk}/"' in page
    assert "<script>" not in page  # no inline script (the portal's CSP uses nonces)
    settings.CHANNEL_LAYERS = {}
    page = logged_in.get(chat_url()).content.decode()
    assert "data-socket-url" not in page


def test_the_chat_forms_carry_the_csrf_token_the_site_checks(customer):
    import re

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(customer)
    page = client.get(chat_url()).content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) >= 2  # the quick replies and the message form
    response = client.post(chat_url(), {"action": "handoff", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    conversation = Conversation.objects.get(customer=customer)
    assert conversation.status == Conversation.Status.WAITING
    # The script sends the same token to the API in X-CSRFToken.
    api = client.post(
        reverse("istok_support_api:mark_read", kwargs={"pk": conversation.pk}),
        "{}",
        content_type="application/json",
        HTTP_X_CSRFTOKEN=tokens[-1],
    )
    assert api.status_code == 200


def test_a_chat_about_an_unknown_product_is_an_ordinary_chat(logged_in, customer):
    response = logged_in.get(chat_url(), {"product": "no-such-thing"})
    assert response.status_code == 200
    assert "Your question is about" not in response.content.decode()


def test_the_widget_shows_the_open_conversation_or_a_link_to_start_one(rf, customer):
    from django.contrib.auth.models import AnonymousUser
    from django.middleware.csrf import get_token
    from django.template import engines

    template = engines["django"].from_string("{% load istok_support %}{% support_widget %}")
    request = rf.get("/somewhere/")
    request.user = AnonymousUser()
    html = template.render({"request": request}, request)
    assert f'href="{chat_url()}"' in html and "data-istok-support-chat" not in html

    request.user = customer
    assert "data-istok-support-chat" not in template.render({"request": request}, request)
    make_conversation(customer)
    get_token(request)
    html = template.render({"request": request}, request)
    assert "data-istok-support-chat" in html
    assert "What is your question about?" in html
    assert 'name="csrfmiddlewaretoken" value="' in html
    assert f'action="{chat_url()}"' in html


def test_the_inbox_gives_its_script_the_fingerprint_the_api_would_give(staff_client, staff):
    import json
    import re

    waiting = make_conversation(make_customer(), handed_off=True)
    services.post_customer_message(waiting, waiting.customer, "Hello?")
    make_conversation(make_customer(), handed_off=True, specialist=staff)
    for filter in ("waiting", "mine", "all"):
        page = staff_client.get(reverse("istok_support:staff_inbox"), {"filter": filter})
        content = page.content.decode()
        shown = re.search(r'data-fingerprint="([^"]*)"', content).group(1)
        api = staff_client.get(reverse("istok_support_api:inbox"), {"filter": filter})
        rows = json.loads(api.content)
        assert shown == ",".join(f"{c['id']}:{c['status']}:{c['unread']}" for c in rows)
        assert f'data-inbox-url="/api/support/inbox/?filter={filter}"' in content
        assert 'data-socket-url="/ws/support/inbox/"' in content
        assert "istok_support/inbox.js" in content
