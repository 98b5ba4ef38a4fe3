"""``{% idempotency_key_input %}``: a form's hidden idempotency key, new at each render (see
``anjian.core.idempotency``): the form sent twice (a double tap, a retry) writes once."""

from django import template
from django.utils.html import format_html

from anjian.core.idempotency import FORM_FIELD, new_key

register = template.Library()


@register.simple_tag
def idempotency_key_input():
    return format_html('<input type="hidden" name="{}" value="{}">', FORM_FIELD, new_key())
