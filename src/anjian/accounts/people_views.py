from django.views.generic import ListView

from anjian.accounts.models import User
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin


class UserListView(ActionRequiredMixin, ListView):
    required_action = Action.USER_VIEW
    template_name = "accounts/user_list.html"
    paginate_by = 50

    def get_queryset(self):
        return User.objects.visible_to(self.request.user).select_related("organization", "department", "post")
