"""What the account erasure clears beyond the account's own rows: the admin log,
django-axes' sign-in records and the sessions.

:func:`istok_accounts.services.erase_user` calls these; a project with its own erasure
flow may call them too.
"""

import json
import logging
import re
from importlib import import_module
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db.models import Q
from django.utils import timezone

logger = logging.getLogger("istok_accounts")

#: What takes the place of a name, an email address or a phone number in the admin log.
REDACTED = "***"

# Rows read at a time when the erasure searches the admin log or the sessions.
CHUNK = 500


class Identity(NamedTuple):
    """The strings that named an erased user (:func:`identifying_values`)."""

    #: The email address and the phone number as it may be written: nobody else's.
    contacts: list
    #: The username and the names: other people's text may hold them too.
    names: list
    #: What the user signs in with: the username and the email address.
    logins: list

    @property
    def all(self):
        return sorted({*self.contacts, *self.names}, key=len, reverse=True)


def identifying_values(user):
    """The strings that name ``user`` (an :class:`Identity`): the email address, the phone
    number as it may be written (``+79161234567``, ``79161234567``, ``+7 916 123-45-67``,
    ``8 (916) 123-45-67``, ``89161234567``, ``9161234567``), the username, first, last and
    full name."""
    contacts = {getattr(user, "email", "")} | _phone_forms(getattr(user, "phone", None))
    names = {
        user.get_username(),
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        user.get_full_name() if hasattr(user, "get_full_name") else "",
    }
    logins = {user.get_username(), getattr(user, "email", "")}
    return Identity(_clean(contacts), _clean(names), _clean(logins))


def _clean(values):
    return sorted({str(v).strip() for v in values if v and str(v).strip()}, key=len, reverse=True)


def _phone_forms(phone):
    if not phone or not getattr(phone, "is_valid", lambda: False)():
        return {str(phone)} if phone else set()
    national = phone.as_national
    forms = {phone.as_e164, phone.as_e164.lstrip("+"), phone.as_international, national}
    forms |= {re.sub(r"\D", "", national), str(phone.national_number)}
    return forms


def _redactor(values):
    """A function that replaces every occurrence of ``values`` (any letter case) in a
    string, and in every string of a JSON change message, by :data:`REDACTED`."""
    if not values:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(v) for v in values), re.IGNORECASE)

    def redact_value(value):
        if isinstance(value, str):
            return pattern.sub(REDACTED, value)
        if isinstance(value, list):
            return [redact_value(item) for item in value]
        if isinstance(value, dict):
            return {key: redact_value(item) for key, item in value.items()}
        return value

    def redact(text):
        if text and text.startswith("["):
            # The admin's structured message: JSON with non-ASCII letters escaped.
            try:
                return json.dumps(redact_value(json.loads(text)))
            except ValueError:
                pass
        return redact_value(text or "")

    return redact


def anonymise_admin_log(user, identity):
    """Rewrite the admin log so that it no longer names ``user``. Call it once the account
    and the other apps' rows are anonymised, with the :class:`Identity` read before
    (:func:`identifying_values`).

    - Entries about the account: the object is named as it is now (``erased-42``).
    - Entries about a row that points at the account (an order, a consent, a loyalty
      account, a referral): the object is named as that row is now (every app has
      anonymised its rows by then).
    - In both, each of the identity's strings is replaced by :data:`REDACTED` in the name
      and the change message (the admin's own messages list field names only; a
      project's may say more).
    - Any other entry that holds the email address or the phone number: these are
      replaced the same way (names and usernames are left there: they may be someone
      else's).

    Returns how many entries changed. Does nothing without ``django.contrib.admin``.
    """
    if not apps.is_installed("django.contrib.admin"):
        return 0
    from django.contrib.admin.models import LogEntry

    changed = {}

    def rewrite(entries, redact, names=None):
        for entry in entries:
            name = names[entry.object_id] if names else entry.object_repr
            repr_, message = redact(name)[:200], redact(entry.change_message)
            if (repr_, message) != (entry.object_repr, entry.change_message):
                entry.object_repr, entry.change_message = repr_, message
                changed[entry.pk] = entry

    redact = _redactor(identity.all)
    for content_type, rows in _rows_of(user):
        logged = LogEntry.objects.filter(content_type=content_type)
        if not logged.exists():
            continue
        pks = rows.values_list("pk", flat=True).iterator(chunk_size=CHUNK)
        while chunk := [str(pk) for _i, pk in zip(range(CHUNK), pks, strict=False)]:
            entries = list(logged.filter(object_id__in=chunk))
            if entries:
                objects = rows.in_bulk([entry.object_id for entry in entries])
                names = {str(pk): str(obj) for pk, obj in objects.items()}
                rewrite(entries, redact, names)

    needles = {v for value in identity.contacts for v in (value, json.dumps(value)[1:-1])}
    if needles:
        found = Q()
        for needle in needles:
            found |= Q(object_repr__icontains=needle) | Q(change_message__icontains=needle)
        others = LogEntry.objects.filter(found).exclude(pk__in=list(changed))
        rewrite(others.iterator(chunk_size=CHUNK), _redactor(identity.contacts))

    LogEntry.objects.bulk_update(
        changed.values(), ["object_repr", "change_message"], batch_size=CHUNK
    )
    return len(changed)


def _rows_of(user):
    """``(content type, queryset)``: the account itself, then every kind of row that points
    at it (orders, consents, the loyalty account, referrals...), which the admin log names
    by their ``str()``."""
    from django.contrib.contenttypes.models import ContentType

    def of(model, rows):
        return ContentType.objects.get_for_model(model, for_concrete_model=False), rows

    model = type(user)
    yield of(model, model._base_manager.filter(pk=user.pk))
    for relation in model._meta.related_objects:
        related = relation.related_model
        if related._meta.auto_created or related._meta.label == "admin.LogEntry":
            continue
        yield of(related, related._base_manager.filter(**{relation.field.name: user}))


def delete_login_records(identity):
    """Delete django-axes' records of the sign-ins made with the user's username or email
    address, in any case (failed attempts, the failure log, the access log): each holds
    the client's IP address and browser. Returns how many rows went; does nothing
    without ``axes`` installed."""
    if not apps.is_installed("axes"):
        return 0
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    named = Q()
    for login in identity.logins:
        named |= Q(username__iexact=login)
    if not named:
        return 0
    return sum(
        model.objects.filter(named).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )


def delete_sessions(user):
    """Delete every stored session of ``user`` and return how many were found.

    - An engine that can say whose each session is (it has a ``session_keys_of(user_pk)``
      class method, as ``istok_accounts.sessions`` does) is asked: one indexed query.
    - Django's database engines (``db``, ``cached_db`` or a subclass) store signed blobs:
      each unexpired session is read and decoded, 500 at a time, and its user
      compared. That takes about 40 µs a session (4 s for 100,000 on PostgreSQL or
      SQLite), after the erasure has committed; a busy site uses ``istok_accounts.sessions``
      instead. Expired sessions are left to ``clearsessions``.
    - The cache, file and signed-cookie engines cannot be searched. Their sessions are
      refused from the next request on (the erased account is inactive and its password
      unusable, so Django's check of the session fails) and expire with
      ``SESSION_COOKIE_AGE``; a signed cookie lives in the browser only.

    Sessions found are deleted through the engine, so ``cached_db`` forgets its cached
    copy too.
    """
    from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    wanted = user._meta.pk.value_to_string(user)
    if hasattr(store_class, "session_keys_of"):
        keys = store_class.session_keys_of(wanted)
    elif issubclass(store_class, DatabaseStore):
        decoder = store_class()
        rows = store_class.get_model_class()._default_manager.filter(
            expire_date__gt=timezone.now()
        )
        keys = [
            key
            for key, data in rows.values_list("session_key", "session_data").iterator(CHUNK)
            if str(decoder.decode(data).get(SESSION_KEY)) == wanted
        ]
    else:
        return 0
    for key in keys:
        store_class(key).delete()
    return len(keys)


def _delete_sessions_after_commit(user_pk, user_model):
    """:func:`delete_sessions`, run once the erasure has committed: a failure is logged,
    never raised into the request (the sessions are unusable already)."""
    try:
        user = user_model._base_manager.get(pk=user_pk)
        delete_sessions(user)
    except Exception:
        logger.exception("Could not delete the sessions of erased user %s", user_pk)
