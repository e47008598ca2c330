"""The test URLconf. istok_support's pages and API are included here by their tests."""

urlpatterns = []
