"""Staff: each row through ``accounts.services.user_create``; a row without a password gets a
generated one, shown once to the uploader."""

from __future__ import annotations

import secrets
import string

from django.utils.translation import gettext as _

from anjian.accounts import services as account_services
from anjian.accounts.models import User
from anjian.core.roles import Role
from anjian.core.xlsx import SheetRow
from anjian.imports.services.base import GeneratedPassword, Importer, RowProblem
from anjian.imports.specs import STAFF, role_labels
from anjian.orgs.choices import OrganizationType
from anjian.orgs.models import Post

PASSWORD_LENGTH = 12
_READABLE_LETTERS = "".join(c for c in string.ascii_letters if c not in "IlO")
_READABLE_DIGITS = "23456789"
_SAFE_SYMBOLS = "#%*?!@&"


def generate_password(length: int = PASSWORD_LENGTH) -> str:
    """A strong random password that is easy to read out: no I/l/O/0/1, starts with a letter
    (so a spreadsheet never takes it for a formula), has a capital, a small letter, a digit and
    a symbol."""
    alphabet = _READABLE_LETTERS + _READABLE_DIGITS + _SAFE_SYMBOLS
    while True:
        chars = [secrets.choice(_READABLE_LETTERS)] + [secrets.choice(alphabet) for _i in range(length - 1)]
        password = "".join(chars)
        if (
            any(c.isupper() for c in password)
            and any(c.islower() for c in password)
            and any(c in _READABLE_DIGITS for c in password)
            and any(c in _SAFE_SYMBOLS for c in password)
        ):
            return password


class StaffImporter(Importer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.usernames: dict[str, int] = {}
        self.roles = {str(role.label): role.value for role in Role} | {role.value: role.value for role in Role}

    def import_row(self, row: SheetRow) -> None:
        c = self.cell
        username = c(self.text, row, "username") or ""
        if username:
            first = self.usernames.setdefault(username.lower(), row.number)
            if first != row.number:
                c(self.refuse, _("用户名与第%(n)d行重复。") % {"n": first}, field="username")
                username = ""
            elif User.objects.filter(username__iexact=username).exists():
                # user_create says so too, but before it checks anything else of the row
                c(self.refuse, _("用户名“%(u)s”已被使用。") % {"u": username}, field="username")
                username = ""
        organization = c(self.row_organization, row, types=tuple(OrganizationType.values))
        department_name = self.text(row, "department")
        post_name = self.text(row, "post")
        department = post = None
        if department_name and organization is not None:
            department = c(self.find_department, organization, department_name, key="department")
        if post_name and not department_name:
            c(self.refuse, _("填写岗位时须同时填写科室。"), field="post")
        elif post_name and department is not None:
            post = (
                Post.objects.visible_to(self.by).filter(department=department, name=post_name, is_active=True).first()
            )
            if post is None:
                c(
                    self.refuse,
                    _("科室“%(dept)s”中没有岗位“%(post)s”。") % {"dept": department.name, "post": post_name},
                    field="post",
                )
        if organization is None:
            self.stop_if_problems()
        password = self.text(row, "password")
        generated = not password
        if generated:
            password = generate_password()
        data = {
            "username": username,
            "name": c(self.text, row, "name") or "",
            "organization": organization,
            "department": department,
            "post": post,
            "role": c(self.role, row) or Role.STAFF,
            "phone": self.text(row, "phone"),
            "job_title": self.text(row, "job_title"),
            "email": self.text(row, "email"),
        }
        user = self.create(account_services.user_create, by=self.by, data=data, password=password, note=self.note)
        self.created.append(user)
        self.count(STAFF.object_label)
        if generated:
            self.passwords.append(GeneratedPassword(row.number, user.username, user.name, password))

    def role(self, row: SheetRow) -> str:
        label = self.text(row, "role")
        value = self.roles.get(label) or self.roles.get(label.lower())
        if value is None:
            raise RowProblem(
                _("“%(value)s”不是有效的角色。可选：%(options)s。")
                % {"value": label, "options": "、".join(role_labels(self.by))},
                field="role",
            )
        return value
