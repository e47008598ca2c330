"""Every view of the accounts API answers a 404 as the other istok APIs do."""

from django.urls import get_resolver

from istok_accounts.api import urls
from istok_core.api.exceptions import NotFoundMixin


def test_every_api_view_answers_a_translated_404_naming_no_model():
    # None of them looks a row up by a URL today; a view that will must not answer
    # Django's "No User matches the given query.".
    views = [pattern.callback.view_class for pattern in get_resolver(urls).url_patterns]
    assert views
    assert [view for view in views if not issubclass(view, NotFoundMixin)] == []
