"""Print where the platform is served and the demo accounts to sign in with."""

from django.core.management.base import BaseCommand

from anjian.accounts.demo import ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "打印访问地址和演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"安监 Anjian  →  {url}"))
        self.stdout.write(f"演示账号 demo accounts (密码 password: {DEMO_PASSWORD})")
        for username, _name, role, _org, _dept, _post, about in ACCOUNTS:
            self.stdout.write(f"  {username:<18} {about}（{role.label}）")
        self.stdout.write("")
