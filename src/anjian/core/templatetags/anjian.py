"""Template helpers every app's pages share: ``{% load anjian %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _

register = template.Library()

EMPTY = "—"


def _display(field: models.Field | None, value: Any) -> str:
    """A stored value as a person reads it: choice labels, 是/否, a dash for nothing."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(str(value), value))
    if isinstance(value, list | tuple):
        return "、".join(_display(None, v) for v in value) or EMPTY
    return str(value)


@register.filter
def audit_changes(event) -> list[tuple[str, str, str]]:
    """``event.changes`` as rows of (field label, before, after) for the history timeline.

    The label is the model field's verbose_name (“统一社会信用代码”, not ``credit_code``); choice values
    read as their labels and booleans as 是/否. A field the model no longer has keeps its raw name. A
    key that names a reverse relation (a count of related rows, say “items”) or a generic foreign key
    is no column: it reads as the related model's plural name, its values as they were stored.
    Blank fields of a new record are left out.
    """
    model = None
    if event.target_type_id:
        model = ContentType.objects.get_for_id(event.target_type_id).model_class()  # cached, no query
    rows = []
    for name, pair in (event.changes or {}).items():
        field = None
        label = name
        if model is not None:
            try:
                found = model._meta.get_field(name)
            except FieldDoesNotExist:
                found = None
            if isinstance(found, models.Field):  # a column or a many-to-many field of the model
                field, label = found, str(found.verbose_name)
            elif getattr(found, "related_model", None) is not None:  # reverse relation, generic FK
                label = str(found.related_model._meta.verbose_name_plural)
        before, after = [*pair, None, None][:2] if isinstance(pair, list | tuple) else (None, pair)
        before, after = _display(field, before), _display(field, after)
        if before == EMPTY and after in (EMPTY, _("否")):
            continue  # nothing to say (a blank field of a new record)
        rows.append((label, before, after))
    return rows


@register.simple_tag
def field_rows(obj: models.Model, names: str) -> list[tuple[str, str]]:
    """(verbose_name, display value) for the space-separated field names of ``obj``: a profile table."""
    rows = []
    for name in names.split():
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = str(value)
        rows.append((str(field.verbose_name), _display(field, value)))
    return rows


@register.filter
def widget(bound_field):
    """Render a form field's widget, marked ``is-invalid`` when it has errors."""
    if bound_field.errors:
        css = bound_field.field.widget.attrs.get("class", "")
        return bound_field.as_widget(attrs={"class": f"{css} is-invalid".strip()})
    return bound_field.as_widget()


@register.simple_tag
def elided_pages(page_obj) -> list:
    """The page numbers to show around the current page, ``Paginator.ELLIPSIS`` for the gaps."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))
