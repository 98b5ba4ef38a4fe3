from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("平台公共")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from anjian.core.middleware import SessionRefreshMiddleware

        user_logged_in.connect(SessionRefreshMiddleware.on_login, dispatch_uid="session-refreshed-at-login")
