"""How a higher app shows itself in a lower one without the lower one importing it: the lower one
names a module (``home``, ``demo``, ``report_figures``…) and reads it from every app that has one,
in the order of INSTALLED_APPS (core.home's panels, seed_demo's data, action_plans' report figures)."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import import_module
from types import ModuleType

from django.apps import apps


def app_modules(name: str, *, include_core: bool = True) -> Iterator[ModuleType]:
    """Each of the project's apps' ``<app>.<name>`` module that exists; a module that exists but
    fails to import raises (only a missing module is skipped)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("anjian.") or (config.name == "anjian.core" and not include_core):
            continue
        try:
            yield import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.{name}":
                raise
