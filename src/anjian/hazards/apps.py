from django.apps import AppConfig
from django.db.models.signals import post_save, pre_save
from django.utils.translation import gettext_lazy as _

_REGION_FIELDS = {"parent", "parent_id", "type", "kind"}


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def ready(self) -> None:
        from anjian.orgs.models import Organization

        pre_save.connect(_organization_region_was, sender=Organization, dispatch_uid="hazard_summary_region_was")
        post_save.connect(_organization_region_is, sender=Organization, dispatch_uid="hazard_summary_region_is")


def _region(org_type: str, pk: int, parent_id, kind: str) -> tuple:
    from anjian.hazards.summary import region_of

    return region_of(org_type, pk, parent_id), kind or ""


def _organization_region_was(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    """Where the organization's hazards are summarised before the save (``hazards.summary``)."""
    instance._summary_region_was = None
    if raw or instance.pk is None or (update_fields is not None and not _REGION_FIELDS & set(update_fields)):
        return
    was = sender._base_manager.filter(pk=instance.pk).values_list("type", "parent_id", "kind").first()
    if was is not None:
        instance._summary_region_was = _region(was[0], instance.pk, was[1], was[2])


def _organization_region_is(sender, instance, created=False, raw=False, **kwargs) -> None:
    """An organization moved to another regulator, or given another kind: its hazards' summary
    rows move with it (both regions recounted, in the save's transaction)."""
    was = getattr(instance, "_summary_region_was", None)
    if raw or created or was is None:
        return
    now = _region(instance.type, instance.pk, instance.parent_id, instance.kind)
    if now != was:
        from anjian.hazards import summary

        summary.rebuild(regions={was[0], now[0]})
