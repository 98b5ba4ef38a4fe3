"""Load the demo data of every app (``<app>/demo.py``'s ``seed``), in the order of INSTALLED_APPS.

Idempotent: each seeder looks its records up by natural key and creates only what is missing,
so a second run changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from anjian.core.registry import app_modules


class Command(BaseCommand):
    help = "加载演示数据（可重复执行，不会重复创建）"

    def handle(self, *args, **options):
        for module in app_modules("demo"):
            with transaction.atomic():
                created = module.seed()
            self.stdout.write(f"{module.__name__.split('.')[1]}: {created} created")
