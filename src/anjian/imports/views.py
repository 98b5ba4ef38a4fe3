from django.views.generic import TemplateView

from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin


class ImportView(ActionRequiredMixin, TemplateView):
    required_action = Action.IMPORT_STAFF
    template_name = "imports/import.html"
