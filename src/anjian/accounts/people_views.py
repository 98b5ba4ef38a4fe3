"""The people pages: list, detail with history, create, edit, deactivate/reactivate, password reset.

Thin: reads from ``accounts.selectors`` (scoped), writes through ``accounts.services`` (permission,
validation, audit). A person outside the user's scope answers 404 like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from anjian.accounts import selectors, services
from anjian.accounts.forms import UserFilterForm, UserForm, UserPasswordResetForm
from anjian.core.audit import events_for
from anjian.core.errors import DomainError
from anjian.core.forms import active_value
from anjian.core.permissions import Action, can, grantable_roles
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView, SetActiveView

HISTORY_LIMIT = 50


def user_url(user) -> str:
    return reverse("people:user-detail", args=[user.pk])


class UserListView(FilteredListView):
    required_action = Action.USER_VIEW
    template_name = "accounts/user_list.html"
    filter_form_class = UserFilterForm

    def get_filtered_queryset(self, q="", organization=None, department=None, role="", active="", **_ignored):
        return selectors.user_list(
            user=self.request.user,
            q=q,
            organization=organization,
            department=department,
            role=role,
            active=active_value(active),
        )


class UserDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.USER_VIEW
    template_name = "accounts/user_detail.html"
    context_object_name = "person"

    def get_object(self, queryset=None):
        return selectors.user_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["is_self"] = self.object.pk == self.request.user.pk
        # the buttons of what this user may do to this account (the role grants of the matrix)
        ctx["can_manage"] = can(self.request.user, Action.USER_MANAGE) and (
            ctx["is_self"] or self.object.role in grantable_roles(self.request.user)
        )
        ctx["locked_out"] = services.user_is_locked_out(self.object)
        ctx["events"] = events_for(self.object, self.request.user)[:HISTORY_LIMIT]
        return ctx


class UserFormMixin:
    """The user form, with the department, post and role selects following the organization."""

    form_class = UserForm
    template_name = "accounts/user_form.html"

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.refresh_on_change(
            ["organization", "department"], url=self.request.path, target="#user-org-fields", include="#user-org-fields"
        )
        return form


class UserCreateView(UserFormMixin, ServiceFormView):
    required_action = Action.USER_MANAGE
    success_message = _("已新建人员“%(object)s”。")

    def get_initial(self):
        # ?organization=…&department=… preselect (from an organization or department page); the
        # form's scoped choices drop a value the user may not pick.
        return {k: v for k in ("organization", "department") if (v := self.request.GET.get(k, "")).isdigit()}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_password": True}

    def perform(self, form):
        return services.user_create(
            by=self.request.user, data=form.service_data(), password=form.cleaned_data["password"]
        )

    def get_success_url(self):
        return user_url(self.object)


class UserUpdateView(UserFormMixin, ServiceFormView):
    required_action = Action.USER_MANAGE
    success_message = _("已保存“%(object)s”的资料。")

    def get_object(self):
        return selectors.user_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def perform(self, form):
        return services.user_update(user=self.object, by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return user_url(self.object)


class UserSetActiveView(SetActiveView):
    required_action = Action.USER_MANAGE
    template_name = "accounts/user_set_active.html"

    def get_object(self):
        return selectors.user_get(user=self.request.user, pk=self.kwargs["pk"])

    def set_active(self, obj, *, note):
        return services.user_set_active(user=obj, by=self.request.user, active=self.active, note=note)

    def get_consequences(self):
        if self.active:
            return [_("启用后可用原密码登录；如已遗忘，请为其重置密码。")]
        return [_("停用后该账号立即无法登录，已签发的接口令牌同时失效。")]

    def get_success_url(self):
        return user_url(self.object)


class UserPasswordResetView(ServiceFormView):
    """An administrator sets a new password for someone; their API tokens end."""

    required_action = Action.USER_MANAGE
    form_class = UserPasswordResetForm
    template_name = "accounts/user_password_reset.html"

    def get_object(self):
        return selectors.user_get(user=self.request.user, pk=self.kwargs["pk"])

    def perform(self, form):
        return services.user_reset_password(
            user=self.object, by=self.request.user, password=form.cleaned_data["password"]
        )

    def get_success_message(self):
        return _("已为“%(object)s”重置密码，请通过安全的方式告知本人。") % {"object": self.object}

    def get_success_url(self):
        return user_url(self.object)


class UserUnlockView(ActionRequiredMixin, View):
    """解除锁定: POST only, back to the person's page with what happened."""

    required_action = Action.USER_MANAGE

    def post(self, request, pk):
        person = selectors.user_get(user=request.user, pk=pk)
        try:
            services.user_unlock(user=person, by=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已解除 %(name)s 的登录锁定。") % {"name": person.name})
        return redirect("people:user-detail", pk=person.pk)
