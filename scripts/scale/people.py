"""The people of the city: the city commission, its district commissions and the institutions (with
their departments), then the regulators' staff and every institution's principal, deputy, safety
officer, department heads and staff."""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from scale.base import GeneratorBase, Inst
from scale.city import (
    CITY_NAME,
    CITY_USERNAME,
    DEPARTMENTS,
    DISTRICT_NAMES,
    KINDS,
    PASSWORD,
    PLACE_WORDS,
    name_initials,
    weighted,
)

ORGANIZATION_COLUMNS = [
    "id",
    "type",
    "name",
    "short_name",
    "name_initials",
    "parent_id",
    "path",
    "depth",
    "regulator_level",
    "kind",
    "hospital_grade",
    "is_specialty",
    "ownership",
    "is_fire_key_unit",
    "is_fire_high_risk",
    "is_elderly_care",
    "credit_code",
    "division_code",
    "address",
    "legal_representative",
    "contact_person",
    "contact_phone",
    "bed_count",
    "staff_count",
    "is_active",
    "created_at",
    "updated_at",
]


class PeopleSteps(GeneratorBase):
    # --- organizations ---------------------------------------------------------------------------
    def organizations(self) -> int:
        rng = random.Random(self.seed * 1000 + 1)
        n_districts = max(2, min(16, self.n_institutions // 80))
        total = 1 + n_districts + self.n_institutions
        first = self._reserve("orgs_organization", total)
        self.city_id = first
        self.district_ids = [first + 1 + i for i in range(n_districts)]
        city_path = f"/{first}/"
        rows = [self._organization(first, "regulator", CITY_NAME, "规模测试市卫健委", None, city_path, 0, level="city")]
        for i, did in enumerate(self.district_ids):
            dname = DISTRICT_NAMES[i % len(DISTRICT_NAMES)] + ("" if i < len(DISTRICT_NAMES) else str(i))
            rows.append(
                self._organization(
                    did,
                    "regulator",
                    f"规模测试市{dname}区卫生健康委员会",
                    f"{dname}区卫健委",
                    first,
                    f"{city_path}{did}/",
                    1,
                    level="district",
                )
            )
        rows += self._institutions(rng, first + 1 + n_districts, city_path)
        return self._copy("orgs_organization", ORGANIZATION_COLUMNS, rows)

    def _institutions(self, rng: random.Random, first: int, city_path: str) -> list[tuple]:
        """The institutions, the districts in turn, each of a kind drawn by weight, its name unique."""
        n_districts = len(self.district_ids)
        rows = []
        self.insts = []
        weights = [(k, w) for k, w, *_rest in KINDS]
        spec = {k[0]: k for k in KINDS}
        seen_names: set[str] = set()
        for i in range(self.n_institutions):
            iid = first + i
            district = i % n_districts
            kind = weighted(rng, weights)
            _k, _w, mean_staff, _depts, grades, suffix = spec[kind]
            dname = DISTRICT_NAMES[district % len(DISTRICT_NAMES)]
            base = f"{dname}区{rng.choice(PLACE_WORDS)}{suffix}"
            name, n = base, 2
            while name in seen_names:
                name, n = f"{base}（{n}）" if kind != "public_hospital" else f"{dname}区第{n}{suffix}", n + 1
            seen_names.add(name)
            staff = max(3, int(mean_staff * rng.uniform(0.6, 1.4)))
            grade = rng.choice(grades) if grades else ""
            hospital = kind in ("public_hospital", "private_hospital")
            rows.append(
                self._organization(
                    iid,
                    "institution",
                    name,
                    "",
                    self.district_ids[district],
                    f"{city_path}{self.district_ids[district]}/{iid}/",
                    2,
                    kind=kind,
                    grade=grade,
                    ownership="private" if kind in ("private_hospital", "clinic") else "public",
                    is_fire_key_unit=hospital or kind == "medical_elderly_care",
                    is_elderly_care=kind == "medical_elderly_care",
                    credit_code=f"12{iid:016d}"[:18],
                    address=f"规模测试市{dname}区{rng.choice(PLACE_WORDS)}路{rng.randrange(1, 999)}号",
                    legal_representative=self._name(rng),
                    contact_person=self._name(rng),
                    contact_phone=f"023-{rng.randrange(60000000, 69999999)}",
                    bed_count=staff * 2 if hospital or kind == "medical_elderly_care" else None,
                    staff_count=staff,
                )
            )
            self.insts.append(Inst(id=iid, name=name, kind=kind, staff=staff, district=district))
        return rows

    def _organization(
        self, id_, type_, name, short, parent, path, depth, level="", kind="", grade="", **extra
    ) -> tuple:
        """One row of ``orgs_organization``: the fields not given take their defaults."""
        row = {
            "id": id_,
            "type": type_,
            "name": name,
            "short_name": short,
            "name_initials": name_initials(name),
            "parent_id": parent,
            "path": path,
            "depth": depth,
            "regulator_level": level,
            "kind": kind,
            "hospital_grade": grade,
            "is_specialty": False,
            "ownership": "",
            "is_fire_key_unit": False,
            "is_fire_high_risk": False,
            "is_elderly_care": False,
            "credit_code": "",
            "division_code": "",
            "address": "",
            "legal_representative": "",
            "contact_person": "",
            "contact_phone": "",
            "bed_count": None,
            "staff_count": None,
            "is_active": True,
            "created_at": self.now,
            "updated_at": self.now,
            **extra,
        }
        return tuple(row[c] for c in ORGANIZATION_COLUMNS)

    def departments(self) -> int:
        rng = random.Random(self.seed * 1000 + 2)
        n_total = 0
        plan = []
        spec = {k[0]: k for k in KINDS}
        for inst in self.insts:
            n = max(1, min(spec[inst.kind][3], len(DEPARTMENTS), inst.staff // 15 or 1))
            names = DEPARTMENTS[:n] if n > 1 else [rng.choice(("门诊部", "综合科"))]
            plan.append((inst, names))
            n_total += len(names)
        first = self._reserve("orgs_department", n_total)
        cols = [
            "id",
            "organization_id",
            "parent_id",
            "name",
            "name_initials",
            "code",
            "location",
            "phone",
            "is_active",
            "created_at",
            "updated_at",
        ]
        rows, next_id = [], first
        for inst, names in plan:
            for k, name in enumerate(names):
                inst.departments.append(next_id)
                rows.append(
                    (
                        next_id,
                        inst.id,
                        None,
                        name,
                        name_initials(name),
                        f"D{k + 1:02d}",
                        f"{k % 6 + 1}号楼",
                        "",
                        True,
                        self.now,
                        self.now,
                    )
                )
                next_id += 1
        return self._copy("orgs_department", cols, rows)

    # --- people ----------------------------------------------------------------------------------
    def users(self) -> int:
        rng = random.Random(self.seed * 1000 + 3)
        password = make_password(PASSWORD)
        regulator_rows = [(self.city_id, CITY_USERNAME, "regulator_admin")]
        regulator_rows += [(self.city_id, f"sc_city_{k}", "regulator_staff") for k in range(1, 5)]
        for d, did in enumerate(self.district_ids, start=1):
            regulator_rows.append((did, f"sc_d{d:02d}", "regulator_admin"))
            regulator_rows += [(did, f"sc_d{d:02d}_{k}", "regulator_staff") for k in range(1, 4)]
        total = len(regulator_rows) + sum(inst.staff for inst in self.insts)
        first = self._reserve("accounts_user", total)
        cols = [
            "id",
            "password",
            "last_login",
            "is_superuser",
            "username",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "name",
            "name_initials",
            "organization_id",
            "department_id",
            "role",
            "phone",
            "job_title",
            "deactivated_at",
        ]
        joined = self.start
        rows, next_id = [], first
        self.regulators: dict[int, list[int]] = {}

        def add(org_id, username, role, department=None, title=""):
            nonlocal next_id
            name = self._name(rng)
            rows.append(
                (
                    next_id,
                    password,
                    None,
                    False,
                    username,
                    "",
                    False,
                    True,
                    joined,
                    name,
                    name_initials(name),
                    org_id,
                    department,
                    role,
                    f"13{rng.randrange(100000000, 999999999)}",
                    title,
                    None,
                )
            )
            next_id += 1
            return next_id - 1

        for org_id, username, role in regulator_rows:
            self.regulators.setdefault(org_id, []).append(add(org_id, username, role, title="科员"))
        for n, inst in enumerate(self.insts, start=1):
            u = f"sc_i{n:04d}"
            depts = inst.departments
            inst.principal = add(inst.id, f"{u}_head", "principal", title="院长")
            inst.deputy = add(inst.id, f"{u}_deputy", "deputy", title="副院长")
            inst.officer = add(inst.id, f"{u}_officer", "safety_officer", depts[-1], "安全管理员")
            inst.users = [inst.principal, inst.deputy, inst.officer]
            remaining = inst.staff - 3
            for k, dept in enumerate(depts):
                if remaining <= 0 or len(depts) == 1:
                    break
                inst.heads.append(add(inst.id, f"{u}_dh{k + 1:02d}", "department_head", dept, "科室主任"))
                remaining -= 1
            for k in range(remaining):
                inst.users.append(add(inst.id, f"{u}_s{k + 1:04d}", "staff", depts[k % len(depts)]))
            inst.users[3:3] = inst.heads
        return self._copy("accounts_user", cols, rows)
