"""Settings whose ``ISTOK_ORDERS_PRODUCT_MODEL`` names no installed model: istok-catalog's
without istok-catalog installed, or a typo. Used by ``test_checks`` in a subprocess (not a
``settings_*.py``: the suite does not run under it)."""

import os

from tests.settings import *  # noqa: F403

ISTOK_ORDERS_PRODUCT_MODEL = os.environ["ISTOK_TEST_PRODUCT_MODEL"]
