from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "anjian.accounts"
    label = "accounts"
    verbose_name = _("人员与账号")

    def ready(self):
        # Security events are audit events (等保 2.0): a failed sign-in (form or API: Django's
        # authenticate() reports both) and a lock-out by django-axes.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_login_failed

        from anjian.accounts import security_events

        user_login_failed.connect(security_events.login_failed, dispatch_uid="anjian.accounts.login_failed")
        user_locked_out.connect(security_events.locked_out, dispatch_uid="anjian.accounts.locked_out")
