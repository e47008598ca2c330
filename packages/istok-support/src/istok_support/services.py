"""The use cases of istok_support: the only code that writes conversations and messages.

Every service that writes a message locks the conversation's row first (the row is the
only lock a service of this app takes), so the messages of one conversation are numbered
in the order they commit: a client that asks for the messages after the last key it saw
(:func:`~istok_support.selectors.messages_after`) never misses one. Decisions (is it
closed? has the bot handed it off? who has taken it?) are made on the locked row.

In the suite's lock order the conversation's row comes after the user's row: the account
erasure locks the user, then (:func:`erase_customer_data`) the user's conversations. A
message the customer sends at the very moment their own account is erased can still
meet it the other way round (the message's row takes a key-share lock on the customer's
row after the conversation's lock); PostgreSQL then ends one of the two: the message is
run again by :func:`~istok_core.transactions.retrying` and finds the conversation gone
(``Http404``).

Input errors are Django ``ValidationError`` s with field keys (``text``, ``attachment``,
``action``, ``rating``) or without (a closed conversation, the rate limit), each with a
``code``; acting on someone else's conversation is ``PermissionDenied``; one deleted
meanwhile (an erasure) is ``Http404``. Signals and notifications are sent after commit.
"""

import logging
import time
import unicodedata
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from istok_core.transactions import retrying
from istok_core.uploads import (
    WrongTypeError,
    check_size,
    clean_filename,
    typed_filename,
    validate_image,
    validate_pdf,
)

from . import selectors
from .adapter import get_adapter
from .flow import HANDOFF, ORDER_PREFIX
from .integrations import orders
from .models import ChatMessage, Conversation
from .signals import conversation_changed, handoff_requested, message_posted

logger = logging.getLogger("istok_support")

Status = Conversation.Status
Kind = ChatMessage.SenderKind

# Line breaks and tabs stay in a message; other control and formatting characters (a NUL,
# which PostgreSQL refuses in text, a right-to-left override) are removed.
_KEEP = {"\n", "\t"}


# Checking input ---------------------------------------------------------------------------


def _field_error(field, message, code, params=None):
    return ValidationError({field: ValidationError(message, code=code, params=params)})


def clean_text(text, *, required=True):
    """``text`` as a message keeps it: control characters removed, line endings
    normalised, spaces around it stripped; a field error when it is longer than
    ``ISTOK_SUPPORT_MAX_MESSAGE_LENGTH`` or, with ``required``, empty."""
    text = "" if text is None else str(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        char
        for char in text
        if char in _KEEP or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    ).strip()
    limit = settings.ISTOK_SUPPORT_MAX_MESSAGE_LENGTH
    if len(text) > limit:
        raise _field_error(
            "text",
            _("A message may have at most %(limit)s characters (this one has %(length)s)."),
            "max_length",
            {"limit": limit, "length": len(text)},
        )
    if required and not text:
        raise _field_error("text", _("Type a message or attach a file."), "required")
    return text


def check_attachment(file):
    """Accept an image (``ISTOK_SUPPORT_ATTACHMENT_IMAGE_FORMATS``) or a PDF, checked by
    its content, at most ``ISTOK_SUPPORT_ATTACHMENT_MAX_SIZE`` bytes. Return its
    :class:`~istok_core.uploads.UploadType`; a field error on ``attachment`` otherwise."""
    max_size = settings.ISTOK_SUPPORT_ATTACHMENT_MAX_SIZE
    formats = settings.ISTOK_SUPPORT_ATTACHMENT_IMAGE_FORMATS
    try:
        check_size(file, max_size)
        file.seek(0)
        head = file.read(8)
        file.seek(0)
        if bytes(head).startswith(b"%PDF-"):
            return validate_pdf(file, max_size=max_size)
        return validate_image(file, formats=formats, max_size=max_size)
    except WrongTypeError:
        raise _field_error(
            "attachment",
            _("Attach an image (%(formats)s) or a PDF file."),
            "invalid_attachment",
            {"formats": ", ".join(formats)},
        ) from None
    except ValidationError as exc:
        raise ValidationError({"attachment": exc.error_list}) from None


def check_rate(user):
    """Count one message of ``user`` in this minute; a ``ValidationError`` (code
    ``rate_limited``) past ``ISTOK_SUPPORT_RATE_LIMIT`` messages a minute."""
    limit = settings.ISTOK_SUPPORT_RATE_LIMIT
    if not limit:
        return
    key = f"istok_support:rate:{user.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > limit:
        raise ValidationError(
            _(
                "You are sending messages too fast: at most %(limit)s a minute. Please wait "
                "a moment and send it again."
            ),
            code="rate_limited",
            params={"limit": limit},
        )


def _own(conversation, customer):
    if not getattr(customer, "is_authenticated", False) or conversation.customer_id != customer.pk:
        raise PermissionDenied("This conversation is not the user's.")


def _staff(user):
    if not selectors.can_handle(user):
        raise PermissionDenied("Only support staff may do this.")


def _closed_error():
    return ValidationError(
        _("This conversation is closed. Start a new one to write to us."), code="closed"
    )


# Writing ----------------------------------------------------------------------------------


def _lock(conversation):
    """The conversation's row, locked until the transaction ends, as it is now.
    ``Http404`` when it has gone meanwhile (the customer's account erased): pages and
    the API answer 404, as for a conversation one may not see."""
    try:
        return Conversation.objects.select_for_update(of=("self",)).get(pk=conversation.pk)
    except Conversation.DoesNotExist:
        raise Http404("This conversation no longer exists.") from None


def _sync(target, source):
    """Copy the saved state of the locked ``source`` onto the caller's instance ``target``
    (no query: the row may be gone by now, erased right after the commit)."""
    if target is source:
        return
    for field in Conversation._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
        if field.is_relation and field.is_cached(target):
            field.delete_cached_value(target)  # read again when next used


def _announce(signal, **kwargs):
    """Send ``signal`` to every receiver even when one fails (each failure is logged):
    a project's receiver that raises must not keep the chats from hearing of it."""
    for receiver, result in signal.send_robust(**kwargs):
        if isinstance(result, Exception):
            logger.error(
                "istok_support: a receiver of a signal failed: %r",
                receiver,
                exc_info=(type(result), result, result.__traceback__),
            )


def _after_commit(function, *args, **kwargs):
    transaction.on_commit(partial(_safely, function, *args, **kwargs))


def _safely(function, *args, **kwargs):
    # The change has committed: a receiver, a mail server or the channel layer failing
    # must not undo it or reach the user as an error.
    try:
        function(*args, **kwargs)
    except Exception:
        logger.exception(
            "istok_support: %s failed after commit", getattr(function, "__name__", function)
        )


def _customer_language(conversation):
    """The language of what the staff's side writes to the customer: the one they started
    the conversation in, else their ``language`` attribute, else ``LANGUAGE_CODE``."""
    return (
        conversation.language
        or getattr(conversation.customer, "language", "")
        or settings.LANGUAGE_CODE
    )


def _save(
    conversation, kind, *, sender=None, text="", buttons=(), data=None, upload=None, guard=None
):
    """Write one message in the locked ``conversation``; ``upload`` is ``(file, type)``,
    stored before the row: ``guard`` (an :class:`_AttachmentGuard`) deletes it if the
    transaction fails."""
    message = ChatMessage(
        conversation=conversation,
        sender=sender,
        sender_kind=kind,
        text=text,
        buttons=list(buttons),
        data=data or {},
    )
    if upload:
        file, upload_type = upload
        original = clean_filename(getattr(file, "name", ""), default="attachment")
        message.attachment_name = typed_filename(original, upload_type, default="attachment")
        message.attachment_type = upload_type.content_type
        message.attachment_size = file.size
        message.attachment.save(message.attachment_name, file, save=False)
        if guard is not None:
            guard.messages.append(message)
    message.save()
    # Who writes has read everything before: the writer's side's cursor moves to it.
    cursor = "customer_read_upto" if kind == Kind.CUSTOMER else "staff_read_upto"
    fields = {"last_activity": message.created}
    if kind in (Kind.CUSTOMER, Kind.SPECIALIST):
        fields[cursor] = message.pk
    for name, value in fields.items():
        setattr(conversation, name, value)
    Conversation.objects.filter(pk=conversation.pk).update(**fields)
    message.conversation = conversation
    _after_commit(_announce, message_posted, sender=ChatMessage, message=message)
    return message


def _bot(conversation, reply):
    """Save the adapter's ``reply`` as the bot's message; hand off when it says so."""
    message = _save(
        conversation, Kind.BOT, text=reply.text, buttons=reply.buttons, data=reply.data
    )
    messages = [message]
    if reply.handoff:
        messages += _handoff(conversation, "bot")
    return messages


def _handoff(conversation, reason):
    """Hand the locked ``conversation`` to the specialists (once): the bot is silent in it
    from now on. The specialists hear of it after commit."""
    if conversation.handed_off_at is not None:
        return []
    adapter = get_adapter()
    conversation.handed_off_at = timezone.now()
    if conversation.status == Status.BOT:
        conversation.status = Status.WAITING
    conversation.save(update_fields=["handed_off_at", "status"])
    messages = []
    if reason != "taken":
        with translation.override(_customer_language(conversation)):
            reply = adapter.handoff_reply(conversation, adapter.get_flow())
        messages.append(_save(conversation, Kind.BOT, text=reply.text, buttons=reply.buttons))
        _after_commit(adapter.notify_staff, conversation, reason)
    _after_commit(
        _announce, handoff_requested, sender=Conversation, conversation=conversation, reason=reason
    )
    _changed(conversation, "status", "handed_off_at")
    return messages


def _changed(conversation, *fields):
    _after_commit(
        _announce,
        conversation_changed,
        sender=Conversation,
        conversation=conversation,
        fields=fields,
    )


class _AttachmentGuard:
    """Deletes the attachment a failed transaction leaves behind: the file is stored
    before its message row, and a rolled-back row must not leave it on disk."""

    def __init__(self):
        self.messages = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is not None:
            for message in self.messages:
                if message.attachment:
                    message.attachment.delete(save=False)
        return False


def _write(conversation, sender, kind, text, attachment, *, before=None, after=None):
    """The message ``sender`` typed and/or attached, checked (length, file, rate), then
    written in the locked conversation between ``before(locked)`` and ``after(locked)``."""
    text = clean_text(text, required=attachment is None)
    upload = (attachment, check_attachment(attachment)) if attachment is not None else None
    check_rate(sender)
    with _AttachmentGuard() as guard, transaction.atomic():
        locked = _lock(conversation)
        if locked.is_closed:
            raise _closed_error()
        if before is not None:
            before(locked)
        message = _save(locked, kind, sender=sender, text=text, upload=upload, guard=guard)
        if after is not None:
            after(locked)
    _sync(conversation, locked)
    return message


# The use cases ----------------------------------------------------------------------------


@retrying
def start_conversation(customer):
    """The customer's open conversation, or a new one in which the bot greets them.

    A customer has at most one open conversation (a constraint of the database); asking
    again, from two tabs at once too, returns the same one.
    """
    if not getattr(customer, "is_authenticated", False):
        raise PermissionDenied("Sign in to write to support.")
    existing = selectors.open_conversation_for(customer)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(
                customer=customer, language=translation.get_language() or ""
            )
            adapter = get_adapter()
            reply = adapter.greeting(conversation, adapter.get_flow())
            _bot(conversation, reply)
    except IntegrityError:
        # Another request opened one at the same moment.
        existing = selectors.open_conversation_for(customer)
        if existing is None:
            raise
        return existing
    _changed(conversation, "status")
    return conversation


@retrying
def post_customer_message(conversation, customer, text="", *, attachment=None):
    """Save what ``customer`` typed (and/or attached) in their ``conversation``. While
    the bot is in charge it answers with its ``fallback`` and the branches again; once the
    conversation has been handed off the bot never answers, whatever is typed. Returns
    the customer's message."""
    _own(conversation, customer)

    def then(locked):
        # After the hand-off the bot never answers, whatever is typed.
        if locked.bot_active:
            adapter = get_adapter()
            _bot(locked, adapter.fallback(locked, adapter.get_flow()))

    return _write(conversation, customer, Kind.CUSTOMER, text, attachment, after=then)


@retrying
def press_button(conversation, customer, action):
    """The customer pressed the quick reply ``action`` of the bot's last message: a
    branch's code, ``"handoff"`` (offered always) or ``"order:<pk>"`` (attaches that
    order of theirs to the conversation). Saves the button's label as the customer's
    message and the bot's answer; returns the new messages, oldest first.

    Refused (``ValidationError``) when the conversation is closed, when the bot has
    handed it off (it is silent for good; the customer types instead), and for a button
    the bot's last message does not offer."""
    _own(conversation, customer)
    action = str(action or "").strip()
    check_rate(customer)
    with transaction.atomic():
        locked = _lock(conversation)
        if locked.is_closed:
            raise _closed_error()
        if not locked.bot_active:
            raise ValidationError(
                _("A specialist is handling this conversation: type your message instead."),
                code="bot_finished",
            )
        adapter = get_adapter()
        flow = adapter.get_flow()
        last = locked.messages.filter(sender_kind=Kind.BOT).order_by("-pk").first()
        offered = {b.get("action"): b.get("label") for b in (last.buttons if last else [])}
        offered.setdefault(HANDOFF, str(flow.handoff_label))
        if action not in offered:
            raise _field_error("action", _("This button is no longer offered."), "invalid_action")
        order = None
        if action.startswith(ORDER_PREFIX):
            order = orders.customer_order(customer, action[len(ORDER_PREFIX) :])
            if order is None:
                raise _field_error("action", _("This order is not found."), "unknown_order")
        messages = [
            _save(
                locked,
                Kind.CUSTOMER,
                sender=customer,
                text=str(offered[action]),
                data={"action": action},
            )
        ]
        if action == HANDOFF:
            messages += _handoff(locked, "customer")
        elif order is not None:
            locked.order_pk, locked.order_number = order["pk"], order["number"]
            locked.save(update_fields=["order_pk", "order_number"])
            _changed(locked, "order_pk", "order_number")
            messages += _bot(locked, adapter.answer_order(locked, order, flow))
        else:
            branch = flow.branch(action)
            if branch is None:  # offered by an earlier flow, gone from this one
                raise _field_error(
                    "action", _("This button is no longer offered."), "invalid_action"
                )
            locked.topic = branch.code
            locked.save(update_fields=["topic"])
            _changed(locked, "topic")
            messages += _bot(locked, adapter.answer_branch(locked, branch, flow))
    _sync(conversation, locked)
    return messages


@retrying
def request_handoff(conversation, customer):
    """Hand ``conversation`` to the specialists at the customer's request (the bot is
    silent in it from then on). Calling it again changes nothing. Returns the
    conversation."""
    _own(conversation, customer)
    with transaction.atomic():
        locked = _lock(conversation)
        if locked.is_closed:
            raise _closed_error()
        _handoff(locked, "customer")
    _sync(conversation, locked)
    return conversation


def _specialist_name(user):
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return (getattr(user, "first_name", "") or full or user.get_username()).strip()


def _take(locked, specialist):
    """Make ``specialist`` the locked conversation's specialist; the decision on the row
    as it is after the lock."""
    if locked.status == Status.WITH_SPECIALIST and locked.specialist_id not in (
        None,
        specialist.pk,
    ):
        raise ValidationError(
            _("%(name)s has already taken this conversation."),
            code="already_taken",
            params={"name": _specialist_name(locked.specialist)},
        )
    if locked.status == Status.WITH_SPECIALIST and locked.specialist_id == specialist.pk:
        return []
    messages = _handoff(locked, "taken")
    locked.status = Status.WITH_SPECIALIST
    locked.specialist = specialist
    locked.save(update_fields=["status", "specialist"])
    with translation.override(_customer_language(locked)):
        text = _("%(name)s has joined the conversation.") % {"name": _specialist_name(specialist)}
    messages.append(
        _save(locked, Kind.SYSTEM, text=text, data={"event": "taken", "by": specialist.pk})
    )
    _changed(locked, "status", "specialist")
    return messages


@retrying
def take(conversation, specialist):
    """``specialist`` (support staff) takes ``conversation``: it is theirs from now on,
    and the bot is silent in it. Of two specialists taking it at once exactly one wins;
    the other gets a ``ValidationError`` (code ``already_taken``) naming the winner.
    Taking one's own conversation again changes nothing. Returns the conversation."""
    _staff(specialist)
    with transaction.atomic():
        locked = _lock(conversation)
        if locked.is_closed:
            raise _closed_error()
        _take(locked, specialist)
    _sync(conversation, locked)
    return conversation


@retrying
def staff_reply(conversation, specialist, text="", *, attachment=None):
    """``specialist`` answers in ``conversation``; one nobody has taken becomes theirs
    (a colleague may answer in a taken one; it stays its specialist's). Returns the
    message."""
    _staff(specialist)

    def first(locked):
        if locked.specialist_id is None or locked.status != Status.WITH_SPECIALIST:
            _take(locked, specialist)

    return _write(conversation, specialist, Kind.SPECIALIST, text, attachment, before=first)


@retrying
def close(conversation, actor):
    """Close ``conversation`` (its customer or support staff). The customer may then rate
    it and start a new one. Closing a closed one changes nothing."""
    if not selectors.can_handle(actor):
        _own(conversation, actor)
    with transaction.atomic():
        locked = _lock(conversation)
        if locked.is_closed:
            _sync(conversation, locked)
            return conversation
        locked.status = Status.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at"])
        with translation.override(_customer_language(locked)):
            text = _("The conversation is closed. Thank you!")
        _save(locked, Kind.SYSTEM, text=text, data={"event": "closed", "by": actor.pk})
        _changed(locked, "status", "closed_at")
    _sync(conversation, locked)
    return conversation


def _rating(value):
    message = _("Rate from 1 to 5.")
    if isinstance(value, bool) or value is None:
        raise _field_error("rating", message, "invalid")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise _field_error("rating", message, "invalid") from None
    if not 1 <= number <= 5:
        raise _field_error("rating", message, "invalid")
    return number


@retrying
def rate(conversation, customer, rating):
    """The customer rates their closed ``conversation`` from 1 to 5 (again: the new
    rating replaces the old)."""
    _own(conversation, customer)
    rating = _rating(rating)
    with transaction.atomic():
        locked = _lock(conversation)
        if not locked.is_closed:
            raise _field_error(
                "rating", _("You can rate the conversation once it is closed."), "not_closed"
            )
        locked.rating = rating
        locked.save(update_fields=["rating"])
        _changed(locked, "rating")
    _sync(conversation, locked)
    return conversation


def mark_read(conversation, user, upto=None):
    """``user``'s side (the customer, or support staff) has read ``conversation`` up to
    the message whose key is ``upto`` (default: the last one). The cursor only moves
    forward and never past the last message. Returns the side's cursor."""
    if selectors.can_view_all(user) and conversation.customer_id != getattr(user, "pk", None):
        field = "staff_read_upto"
    else:
        _own(conversation, user)
        field = "customer_read_upto"
    last = conversation.messages.aggregate(last=Max("pk"))["last"] or 0
    if upto is None:
        upto = last
    elif isinstance(upto, bool):
        raise _field_error("upto", _("Give the key of a message."), "invalid")
    else:
        try:
            upto = int(str(upto).strip())
        except (TypeError, ValueError):
            raise _field_error("upto", _("Give the key of a message."), "invalid") from None
        if upto < 0:
            raise _field_error("upto", _("Give the key of a message."), "invalid")
        upto = min(upto, last)
    with transaction.atomic():
        moved = Conversation.objects.filter(pk=conversation.pk, **{f"{field}__lt": upto}).update(
            **{field: upto}
        )
        if moved:
            setattr(conversation, field, upto)
            _changed(conversation, field)
        else:
            setattr(
                conversation,
                field,
                Conversation.objects.values_list(field, flat=True).get(pk=conversation.pk),
            )
    return getattr(conversation, field)


@transaction.atomic
def erase_customer_data(user):
    """What the account erasure asks of support: delete ``user``'s conversations, their
    messages and attachments (the files once the erasure has committed). Conversations
    ``user`` handled as a specialist stay; the account erasure removes their name.
    Returns how many conversations were deleted."""
    # Their rows first, locked: a reply being written waits for the erasure or the
    # erasure for it (then its message goes too); never a message left pointing at a
    # deleted conversation.
    ids = list(
        Conversation.objects.select_for_update(of=("self",))
        .filter(customer=user)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    messages = ChatMessage.objects.filter(conversation_id__in=ids)
    names = list(messages.exclude(attachment="").values_list("attachment", flat=True))
    messages.delete()
    count = len(ids)
    Conversation.objects.filter(pk__in=ids).delete()
    if names:
        storage = ChatMessage._meta.get_field("attachment").storage

        def delete_files():
            for name in names:
                storage.delete(name)

        _after_commit(delete_files)
    return count
