"""The panels of the home page: each app may offer its own in ``<app>/home.py`` as
``panels(user) -> list[dict]`` (a ``template`` and its context); the home page shows them in the
order of INSTALLED_APPS."""

from anjian.core.registry import app_modules


def summary_for(user) -> dict:
    """The counts at the top of the home page: each app's ``home.summary(user)`` (a dict), merged."""
    summary = {"organization": user.organization}
    for module in app_modules("home", include_core=False):
        if hasattr(module, "summary"):
            summary.update(module.summary(user))
    return summary


def panels_for(user) -> list[dict]:
    from anjian.core import workdays

    panels = workdays.panels(user)  # core's own: a year without a holiday schedule
    for module in app_modules("home", include_core=False):
        if hasattr(module, "panels"):
            panels.extend(module.panels(user))
    return panels
