"""The bell in the top bar (templates/base.html includes notifications/_bell.html): the unread count."""

from django.urls import reverse

from anjian.notifications import selectors


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": {"unread": selectors.unread_count(user), "url": reverse("notifications:inbox")}}
