"""A session engine that knows whose each session is: ``SESSION_ENGINE =
"istok_accounts.sessions"``.

Django's database engine, storing into :class:`~istok_accounts.models.UserSession`,
which keeps the signed-in user's primary key in an indexed column. An account erasure
then deletes the user's sessions with one indexed query instead of reading and decoding
every session (:func:`istok_accounts.personal_data.delete_sessions`).
"""

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    @classmethod
    def session_keys_of(cls, user_pk):
        """The keys of the stored sessions signed in as the user whose primary key, as a
        string, is ``user_pk``. :func:`~istok_accounts.personal_data.delete_sessions`
        uses this method on any engine that has it."""
        model = cls.get_model_class()
        return list(model.objects.filter(user_pk=user_pk).values_list("session_key", flat=True))

    def create_model_instance(self, data):
        return _with_user(super().create_model_instance(data), data)

    async def acreate_model_instance(self, data):
        return _with_user(await super().acreate_model_instance(data), data)


def _with_user(session, data):
    session.user_pk = str(data.get(SESSION_KEY) or "")[:64]
    return session
