"""Form helpers: Tabler classes on every widget, service errors shown on the form, filter bars.

Forms here only bind and check the shape of input (a number is a number, a choice is among the
choices the user may pick, which come from scoped querysets). The rules of the domain live in the
models and services, which the view calls with ``cleaned_data``; their ``DomainError`` goes back on
the form through ``add_domain_error``.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.core import inputs
from anjian.core.errors import DomainError

ID_RANGE = "id_range"  # the code of the error of an id beyond the database's range


class BoundedIntegersMixin:
    """Mixed into each integer and record choice field of a ``StyledFormMixin`` form: an id that is
    negative or beyond 2^63−1 (or any integer beyond the database's bigint) is refused with
    "编号超出范围" before the field queries the database (SQLite cannot even bind the number)."""

    def clean(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        if isinstance(self, forms.ModelChoiceField):
            pk = self.queryset.model._meta.pk if self.queryset is not None else None
            by_id = self.to_field_name is None and isinstance(pk, models.IntegerField)
            if by_id and any(inputs.integer_out_of_range(v, low=0) for v in values):
                raise forms.ValidationError(inputs.ID_RANGE_MESSAGE, code=ID_RANGE)
        elif any(inputs.integer_out_of_range(v) for v in values):
            raise forms.ValidationError(inputs.NUMBER_RANGE_MESSAGE, code=ID_RANGE)
        return super().clean(value)


_BOUNDED: dict[type, type] = {}


def _bounded(field: forms.Field) -> None:
    """Give the field ``BoundedIntegersMixin`` (a subclass of its own class, made once per class)."""
    cls = type(field)
    if isinstance(field, BoundedIntegersMixin) or not isinstance(field, forms.ModelChoiceField | forms.IntegerField):
        return
    if cls not in _BOUNDED:
        _BOUNDED[cls] = type(cls.__name__, (BoundedIntegersMixin, cls), {"__module__": cls.__module__})
    field.__class__ = _BOUNDED[cls]


class StyledFormMixin:
    """Give every widget the Tabler class it needs; lay fields out in fieldsets."""

    # [(legend, [field names])] or [(legend, [field names], html id)]: how the form template groups
    # the fields (the id lets htmx swap one group); fields not listed (or removed from the form) are
    # skipped, a form without fieldsets is one group.
    fieldsets: list[tuple] = []
    # fields that take a whole row on wide screens (addresses, descriptions)
    wide_fields: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            _bounded(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea) and str(widget.attrs.get("rows", "10")) == "10":
                widget.attrs["rows"] = 3  # Django's default of 10 rows is a wall on a phone
            choices = getattr(field, "choices", None)
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField) and choices:
                # Django's "---------" for an empty choice reads as a glitch; say what to do.
                field.choices = [
                    ("", _("请选择")) if (v == "" and lbl == "---------") else (v, lbl) for v, lbl in choices
                ]

    def add_domain_error(self, exc: DomainError) -> None:
        """Put a service's error on the field it names, or on the form as a whole (an unbound form
        too: a page opened without parameters whose defaults the service refuses)."""
        if not hasattr(self, "cleaned_data"):
            self.full_clean()  # an unbound form: no errors of its own, somewhere to add the service's
            self.cleaned_data = getattr(self, "cleaned_data", {})
        placed = False
        for field, messages in (exc.errors or {}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
                placed = True
        if not placed:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)

    def get_fieldsets(self):
        """[(legend, [BoundField], html id)] for the template, skipping fields the form does not have."""
        groups = self.fieldsets or [("", list(self.fields))]
        result = []
        for legend, names, *rest in groups:
            bound = [self[name] for name in names if name in self.fields and not self[name].is_hidden]
            if bound or rest:
                result.append((legend, bound, rest[0] if rest else ""))
        return result

    def refresh_on_change(self, names, *, url: str, target: str, include: str = "closest form") -> None:
        """When one of these selects changes, htmx fetches the form again (GET ``url`` with the values
        of ``include``) and swaps ``target`` (a CSS id selector) so dependent choices follow."""
        for name in names:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-get": url,
                        "hx-trigger": "change",
                        "hx-include": include,
                        "hx-target": target,
                        "hx-select": target,
                        "hx-swap": "outerHTML",
                    }
                )

    @classmethod
    def initial_from_query(cls, query) -> dict:
        """Initial values from a GET query (an htmx refresh of the form); unticked boxes are absent."""
        initial = {key: query.get(key) for key in query if key != "csrfmiddlewaretoken"}
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.BooleanField):
                initial[name] = query.get(name) in ("on", "true", "1", "True")
        return initial


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class ServiceModelForm(StyledModelForm):
    """A ModelForm used for its fields and initial values only: it never changes or saves the instance.

    The view hands ``service_data()`` to a service, which runs the model's validation and saves in
    its own transaction, so the rules and their messages live in one place. (A ModelForm would
    otherwise copy the input onto the instance before the service could take its "before" snapshot
    for the audit trail.)
    """

    def _post_clean(self):
        pass  # no construct_instance, no instance.full_clean(): the service does both

    def save(self, commit=True):
        raise NotImplementedError("ServiceModelForm does not save: call the service with service_data().")

    def service_data(self) -> dict:
        """The cleaned values of the enabled fields, for the service's ``data=``."""
        return {
            name: self.cleaned_data[name]
            for name, field in self.fields.items()
            if not field.disabled and name in self.cleaned_data
        }


class FilterForm(StyledForm):
    """The filter bar of a list page (bound to ``request.GET``); ``filters()`` feeds the selector.

    Values that do not validate (an organization outside the user's scope, a made-up choice) are
    simply dropped: the list shows what the remaining filters select. An id that cannot be one
    (negative, beyond 2^63−1) is not dropped but refused: ``BadInput``, the product's 400 page.
    """

    search_field = "q"
    refresh_fields: tuple[str, ...] = ()  # selects whose choices depend on another filter

    def filters(self) -> dict:
        self.is_valid()
        if any(e.code == ID_RANGE for errors in self.errors.as_data().values() for e in errors):
            raise inputs.BadInput(inputs.ID_RANGE_MESSAGE)
        cleaned = getattr(self, "cleaned_data", {})
        return {name: cleaned[name] for name in self.fields if name in cleaned and name not in self.errors}

    def is_filtered(self) -> bool:
        """Whether the user narrowed the list (hidden context such as the organization does not count)."""
        return any(
            value not in (None, "", False)
            for name, value in self.filters().items()
            if not self.fields[name].widget.is_hidden
        )


def date_input() -> forms.DateInput:
    """The browser's date picker, the value written as ISO (what it expects)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def datetime_input() -> forms.DateTimeInput:
    """The browser's date-and-time picker, the value written as it expects (local, to the minute)."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def search_field(placeholder) -> forms.CharField:
    """The free-text box of a filter bar."""
    return forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": placeholder, "autocomplete": "off"}),
    )


ACTIVE_CHOICES = [("", _("仅启用")), ("inactive", _("仅停用")), ("all", _("全部状态"))]


def active_field() -> forms.ChoiceField:
    """启用 / 停用 / 全部: the value "" (the default) shows active rows only."""
    return forms.ChoiceField(label=_("状态"), required=False, choices=ACTIVE_CHOICES)


def active_value(choice: str) -> bool | None:
    """The ``active`` argument of a selector for a value of ``active_field``."""
    return {"": True, "inactive": False}.get(choice or "")


class SetActiveForm(StyledForm):
    """Confirm a deactivation or reactivation, with an optional reason for the audit trail."""

    note = forms.CharField(
        label=_("原因（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, active: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.active = active
        self.fields["note"].label = _("启用原因（选填）") if active else _("停用原因（选填）")
