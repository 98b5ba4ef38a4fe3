"""The starter library of checklists for health institutions and the default rhythms (DOMAIN.md
§3): data that regulators and safety officers copy and edit, never constants in code.

``load`` is idempotent: a checklist exists once per code in the platform's library (owner none),
published as version 1; rhythm defaults once per (kind, flag, role, checklist). The migration calls
it with historical models, ``ensure_defaults`` with the current ones (tests that flush the
database, the demo).

The tables themselves (checklists, failure wordings, rhythms, day windows) are in ``defaults_data``."""

from __future__ import annotations

from anjian.inspections.defaults_data import FAIL_TEXTS, RHYTHMS, STARTER, WINDOWS


def load_windows(RhythmDefault) -> None:
    """Give the "every N hours" defaults their day window, where still unset (whole day)."""
    for name, (day_start, day_end) in WINDOWS.items():
        RhythmDefault.objects.filter(name=name, rhythm="hours", day_start__isnull=True, day_end__isnull=True).update(
            day_start=day_start, day_end=day_end
        )


def load_fail_texts(Item) -> int:
    """Give the starter items, and the copies that kept their wording, their 不合格表述 where still
    empty (checklists made before it existed); never changes one already written."""
    changed = 0
    for text, fail_text in FAIL_TEXTS.items():
        changed += Item.objects.filter(text=text, fail_text="").update(fail_text=fail_text)
    return changed


def load(Template, Section, Item, Category, RhythmDefault) -> None:  # model classes, also historical ones
    """Create whatever of the starter library is missing; never changes what exists."""
    categories = {c.code: c for c in Category.objects.all()}
    has_fail_text = any(f.name == "fail_text" for f in Item._meta.get_fields())
    for spec in STARTER:
        if Template.objects.filter(owner__isnull=True, code=spec["code"]).exists():
            continue
        template = Template.objects.create(
            owner=None,
            code=spec["code"],
            name=spec["name"],
            description=spec["description"],
            applies_to=spec["applies_to"],
            category=categories.get(spec["category"]),
            version=1,
            status="published",
        )
        for s_order, (title, items) in enumerate(spec["sections"], start=1):
            section = Section.objects.create(template=template, order=s_order, title=title)
            for i_order, (text, basis, flags, *cat) in enumerate(items, start=1):
                Item.objects.create(
                    template=template,
                    section=section,
                    order=i_order,
                    text=text,
                    basis=basis,
                    category=categories.get(cat[0]) if cat else None,
                    photo_required_on_fail="p" in flags,
                    suggests_major="m" in flags,
                    **({"fail_text": FAIL_TEXTS[text]} if has_fail_text else {}),
                )
    has_window = any(f.name == "day_start" for f in RhythmDefault._meta.get_fields())
    for order, (name, kind, flag, role, rhythm, hours, code) in enumerate(RHYTHMS, start=1):
        rule, created = RhythmDefault.objects.get_or_create(
            kind=kind,
            flag=flag,
            role=role,
            template_code=code,
            defaults={"name": name, "rhythm": rhythm, "every_hours": hours, "sort_order": order * 10},
        )
        if created and has_window and name in WINDOWS and rhythm == "hours":
            rule.day_start, rule.day_end = WINDOWS[name]
            rule.save(update_fields=["day_start", "day_end"])


def ensure_defaults() -> None:
    from anjian.hazards.defaults import ensure_defaults as hazard_defaults
    from anjian.hazards.models import HazardCategory
    from anjian.inspections.models import ChecklistItem, ChecklistSection, ChecklistTemplate, RhythmDefault

    hazard_defaults()
    load(ChecklistTemplate, ChecklistSection, ChecklistItem, HazardCategory, RhythmDefault)
