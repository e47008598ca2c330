"""Kept for templates written for istok-orders 0.1 (``{% load istok_orders %}`` and
``{% money amount currency %}``): the library is istok-core's ``istok`` (``{% load istok
%}``), which every istok app formats money with."""

from istok_core.templatetags.istok import register  # noqa: F401
