"""Load the demo data of every app (``<app>/demo.py``'s ``seed``), in the order of INSTALLED_APPS.

Idempotent: each seeder looks its records up by natural key and creates only what is missing,
so a second run changes nothing.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "加载演示数据（可重复执行，不会重复创建）"

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            if not config.name.startswith("anjian."):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            with transaction.atomic():
                created = module.seed()
            self.stdout.write(f"{config.label}: {created} created")
