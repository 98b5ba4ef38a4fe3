"""The panels of the home page: each app may offer its own in ``<app>/home.py`` as
``panels(user) -> list[dict]`` (a ``template`` and its context); the home page shows them in the
order of INSTALLED_APPS."""

from importlib import import_module

from django.apps import apps


def panels_for(user) -> list[dict]:
    from anjian.core import workdays

    panels = workdays.panels(user)  # core's own: a year without a holiday schedule
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or config.name == "anjian.core":
            continue
        try:
            module = import_module(f"{config.name}.home")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.home":
                raise
            continue
        panels.extend(module.panels(user))
    return panels
