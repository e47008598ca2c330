"""Authentication backend: sign in with the username or the email address."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class EmailOrUsernameBackend(ModelBackend):
    """Like Django's ``ModelBackend``, but ``username`` may also be the email, in any case.

    Add ``"istok_accounts.backends.EmailOrUsernameBackend"`` to
    ``AUTHENTICATION_BACKENDS`` in place of Django's ``ModelBackend``.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        UserModel = get_user_model()
        if username is None:
            username = kwargs.get(UserModel.USERNAME_FIELD)
        if username is None or password is None:
            return None
        try:
            user = UserModel._default_manager.get_by_login(username)
        except (UserModel.DoesNotExist, UserModel.MultipleObjectsReturned):
            # Run the hasher once, so a missing user takes as long as a wrong password.
            UserModel().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
