"""Form helpers: Tabler classes on every widget, and service errors shown on the form."""

from django import forms

from anjian.core.errors import DomainError


class StyledFormMixin:
    """Give every widget the Tabler class it needs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")

    def add_domain_error(self, exc: DomainError) -> None:
        """Put a service's error on the field it names, or on the form as a whole."""
        placed = False
        for field, messages in (exc.errors or {}).items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)
                placed = True
        if not placed:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass
