"""System checks of istok_orders (``manage.py check``).

- ``E001``: a status's ``next`` names a status the pipeline does not have.
- ``E002``: a pipeline entry is malformed (not a dict, no code, a code used twice or
  longer than 32 characters).
- ``E003``: a ``date_field`` that is not a date field of ``Order``.
- ``E004``: a ``max_days`` that is not a positive whole number.
- ``E005``: the pipeline is empty.
- ``E006``: ``ISTOK_ORDERS_ADAPTER`` cannot be imported.
- ``E007``: ``ISTOK_ORDERS_PRODUCT_MODEL`` is malformed or not installed.
- ``E008``: ``ISTOK_ORDERS_DOCUMENT_STORAGE`` names no storage, or there is no private
  directory for the default one.
- ``W001``: the private documents are stored under ``MEDIA_ROOT`` or ``STATIC_ROOT``,
  where the web server may serve them to anybody.
"""

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.utils.module_loading import import_string


def _error(msg, id, hint=None):
    return checks.Error(msg, hint=hint, id=f"istok_orders.{id}")


@checks.register(checks.Tags.models)
def check_pipeline(app_configs, **kwargs):
    from .models import Order

    pipeline = settings.ISTOK_ORDERS_PIPELINE
    if not isinstance(pipeline, list | tuple) or not pipeline:
        return [_error("ISTOK_ORDERS_PIPELINE is empty: an order needs a status.", "E005")]
    errors = []
    codes = []
    for index, entry in enumerate(pipeline):
        if not isinstance(entry, dict) or not isinstance(entry.get("status"), str):
            errors.append(
                _error(f"ISTOK_ORDERS_PIPELINE[{index}] is not a dict with a 'status'.", "E002")
            )
            continue
        code = entry["status"]
        if not code or len(code) > 32:
            errors.append(_error(f"Status code {code!r} must be 1 to 32 characters.", "E002"))
        if code in codes:
            errors.append(_error(f"Status {code!r} appears twice in the pipeline.", "E002"))
        codes.append(code)
    for entry in pipeline:
        if not isinstance(entry, dict) or not isinstance(entry.get("status"), str):
            continue
        code = entry["status"]
        for following in entry.get("next") or ():
            if following not in codes:
                errors.append(
                    _error(
                        f"Status {code!r} lists {following!r} as a next status, which is not "
                        "in ISTOK_ORDERS_PIPELINE.",
                        "E001",
                    )
                )
        date_field = entry.get("date_field")
        if date_field:
            try:
                field = Order._meta.get_field(date_field)
            except FieldDoesNotExist:
                field = None
            if not isinstance(field, models.DateField) or isinstance(field, models.DateTimeField):
                errors.append(
                    _error(
                        f"Status {code!r} has date_field {date_field!r}, which is not a date "
                        "field of Order.",
                        "E003",
                        hint="Use order_date, deadline, completion_date, delivery_date or "
                        "installation_date.",
                    )
                )
        max_days = entry.get("max_days")
        if max_days is not None and (
            not isinstance(max_days, int) or isinstance(max_days, bool) or max_days < 1
        ):
            errors.append(
                _error(
                    f"Status {code!r} has max_days {max_days!r}: use a whole number ≥ 1.", "E004"
                )
            )
    return errors


@checks.register()
def check_adapter(app_configs, **kwargs):
    try:
        import_string(settings.ISTOK_ORDERS_ADAPTER)
    except ImportError:
        return [
            _error(
                f"ISTOK_ORDERS_ADAPTER: cannot import {settings.ISTOK_ORDERS_ADAPTER!r}.", "E006"
            )
        ]
    return []


@checks.register(checks.Tags.models)
def check_product_model(app_configs, **kwargs):
    from . import get_product_model

    try:
        get_product_model()
    except ImproperlyConfigured as exc:
        return [_error(str(exc), "E007")]
    return []


def _inside(path, root):
    try:
        path.resolve().relative_to(Path(root).resolve())
    except ValueError:
        return False
    return True


@checks.register(checks.Tags.security)
def check_document_storage(app_configs, **kwargs):
    from .storage import FileSystemStorage, build_backend

    try:
        backend = build_backend()
    except ImproperlyConfigured as exc:
        return [_error(str(exc), "E008")]
    if not isinstance(backend, FileSystemStorage):
        return []
    location = Path(backend.location)
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        root = getattr(settings, name, None)
        if root and _inside(location, root):
            return [
                checks.Warning(
                    f"Order documents are stored in {location}, under {name}: the web server "
                    "may serve them to anybody.",
                    hint="Set PRIVATE_MEDIA_ROOT to a directory outside MEDIA_ROOT and "
                    "STATIC_ROOT.",
                    id="istok_orders.W001",
                )
            ]
    return []
