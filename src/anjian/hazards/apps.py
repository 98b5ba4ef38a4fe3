from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HazardsConfig(AppConfig):
    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")

    def ready(self) -> None:
        from anjian.orgs.signals import organization_moved

        organization_moved.connect(_organization_moved, dispatch_uid="hazard_summary_organization_moved")


def _organization_moved(sender, organization, path_was: str, kind_was: str, **kwargs) -> None:
    """An organization moved to another regulator or took another kind: its hazards' summary rows
    move with it (``hazards.summary.moved``), in the update's transaction."""
    from anjian.hazards import summary

    summary.moved(organization, regions_were=summary.regions_of(organization.type, path_was), kind_was=kind_was or "")
