"""Pages for organizations, and for the departments and posts of an institution.

Thin: every read comes from ``orgs.selectors`` (scoped), every write from ``orgs.services``
(permission, validation, audit). Objects outside the user's scope answer 404 like missing ones.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from anjian.core.audit import events_for
from anjian.core.forms import active_value
from anjian.core.permissions import Action, can, require
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView, SetActiveView
from anjian.orgs import selectors, services
from anjian.orgs.choices import OrganizationType
from anjian.orgs.forms import (
    DepartmentForm,
    DepartmentTreeFilterForm,
    EngagementEndForm,
    EngagementForm,
    InstitutionFilterForm,
    OrganizationFilterForm,
    OrganizationForm,
    PostForm,
)
from anjian.orgs.models import Department, Engagement, Organization, Post, ProviderEvaluation

HISTORY_LIMIT = 50


def organization_url(organization: Organization) -> str:
    return reverse("orgs:organization-detail", args=[organization.pk])


def department_tree_url(organization: Organization) -> str:
    return f"{reverse('orgs:department-list')}?organization={organization.pk}"


def department_url(department: Department) -> str:
    return reverse("orgs:department-detail", args=[department.pk])


def _institutions():
    return Organization.objects.filter(type=OrganizationType.INSTITUTION)


# --- organizations --------------------------------------------------------------------------------


class OrganizationListView(FilteredListView):
    required_action = Action.ORGANIZATION_VIEW
    template_name = "orgs/organization_list.html"
    filter_form_class = OrganizationFilterForm

    def get_filtered_queryset(self, q="", type="", kind="", flag="", active="", **_ignored):
        return selectors.organization_list(
            user=self.request.user,
            q=q,
            type=type,
            kind=kind,
            flag=flag,
            active=active_value(active),
            with_counts=True,
        )


class OrganizationDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.ORGANIZATION_VIEW
    template_name = "orgs/organization_detail.html"
    context_object_name = "organization"

    def get_object(self, queryset=None):
        return selectors.organization_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org, user = self.object, self.request.user
        own = org.pk == user.organization_id
        ctx["can_edit"] = can(user, Action.ORGANIZATION_MANAGE) or (own and can(user, Action.ORGANIZATION_EDIT_OWN))
        ctx["can_set_active"] = can(user, Action.ORGANIZATION_MANAGE) and not own
        ctx["summary"] = selectors.organization_summary(organization=org)
        if org.is_institution:
            ctx["tree"] = selectors.department_tree(user=user, organization=org)
        else:
            ctx["children"] = selectors.organization_list(user=user, parent=org, active=None, with_counts=True)[:50]
        ctx["events"] = events_for(org, user)[:HISTORY_LIMIT]
        if org.type in (OrganizationType.PROVIDER, OrganizationType.EXPERT_POOL):
            ctx["evaluations"] = (
                ProviderEvaluation.objects.visible_to(user).filter(provider=org).select_related("regulator")[:10]
            )
            ctx["can_evaluate"] = can(user, Action.PROVIDER_EVALUATE)
        return ctx


class OrganizationCreateView(ServiceFormView):
    required_action = Action.ORGANIZATION_MANAGE
    form_class = OrganizationForm
    template_name = "orgs/organization_form.html"
    success_message = _("已新建机构“%(object)s”。")

    def get_initial(self):
        org = self.request.user.organization
        return {"parent": org.pk} if org is not None and org.is_regulator else {}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.refresh_on_change(["type"], url=self.request.path, target="#organization-form-fields")
        return form

    def perform(self, form):
        return services.organization_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return organization_url(self.object)


class OrganizationUpdateView(ServiceFormView):
    """Edit a profile: a regulator admin any organization in scope, a user with ``ORGANIZATION_EDIT_OWN``
    their own (then without type and parent)."""

    required_action = Action.ORGANIZATION_EDIT_OWN
    form_class = OrganizationForm
    template_name = "orgs/organization_form.html"
    success_message = _("已保存“%(object)s”的资料。")
    form_edits_object = True

    def get_object(self):
        org = selectors.organization_get(user=self.request.user, pk=self.kwargs["pk"])
        if org.pk != self.request.user.organization_id:
            require(self.request.user, Action.ORGANIZATION_MANAGE)
        return org

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["own"] = self.object.pk == self.request.user.organization_id
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.refresh_on_change(["type"], url=self.request.path, target="#organization-form-fields")
        return form

    def perform(self, form):
        return services.organization_update(organization=self.object, by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return organization_url(self.object)


class OrganizationSetActiveView(SetActiveView):
    required_action = Action.ORGANIZATION_MANAGE
    template_name = "orgs/set_active.html"

    def get_object(self):
        return selectors.organization_get(user=self.request.user, pk=self.kwargs["pk"])

    def set_active(self, obj, *, note):
        return services.organization_set_active(organization=obj, by=self.request.user, active=self.active, note=note)

    def get_consequences(self):
        if self.active:
            return []
        summary = selectors.organization_summary(organization=self.object)
        lines = []
        if summary["user_count"]:
            lines.append(_("停用后，该单位 %(n)d 名在册人员将无法查看任何业务数据。") % {"n": summary["user_count"]})
        if summary["child_count"]:
            lines.append(_("其下 %(n)d 家启用中的单位不受影响，需要时请分别停用。") % {"n": summary["child_count"]})
        return lines

    def get_success_url(self):
        return organization_url(self.object)


# --- departments and posts ------------------------------------------------------------------------


class DepartmentListView(FilteredListView):
    """The department tree of one institution, with its posts.

    A safety officer sees their own institution; a regulator first picks one (``?organization=``,
    scoped: another jurisdiction's institution is a 404).
    """

    required_action = Action.DEPARTMENT_MANAGE
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        self.organization = self.get_organization()
        return super().get(request, *args, **kwargs)

    def get_organization(self) -> Organization | None:
        user = self.request.user
        pk = self.request.GET.get("organization")
        if pk:
            return get_visible_or_404(_institutions(), user, pk=pk)
        own = user.organization
        if own is not None and own.is_institution:
            return get_visible_or_404(_institutions(), user, pk=own.pk)
        return None

    def get_template_names(self):
        return ["orgs/department_tree.html" if self.organization else "orgs/department_list.html"]

    def get_filter_form(self):
        form_class = DepartmentTreeFilterForm if self.organization else InstitutionFilterForm
        return form_class(self.request.GET, user=self.request.user)

    def get_paginate_by(self, queryset):
        return None if self.organization else self.paginate_by

    def get_filtered_queryset(self, q="", show_inactive=False, **_ignored):
        if self.organization is not None:
            return selectors.department_tree(
                user=self.request.user, organization=self.organization, q=q, include_inactive=show_inactive
            )
        return selectors.institution_list(user=self.request.user, q=q, with_counts=True)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["organization"] = self.organization
        if self.organization is not None:
            ctx["summary"] = selectors.organization_summary(organization=self.organization)
            ctx["can_pick"] = self.organization.pk != self.request.user.organization_id
        return ctx


class DepartmentDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.DEPARTMENT_MANAGE
    template_name = "orgs/department_detail.html"
    context_object_name = "department"

    def get_object(self, queryset=None):
        return get_visible_or_404(
            Department.objects.select_related("organization", "parent"), self.request.user, pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        User = get_user_model()  # accounts is above orgs (docs/architecture.md)

        ctx = super().get_context_data(**kwargs)
        dept, user = self.object, self.request.user
        ctx["posts"] = selectors.post_list(user=user, department=dept, active=None).order_by("-is_active", "name")
        ctx["children"] = selectors.department_list(user=user, organization=dept.organization, active=None).filter(
            parent=dept
        )
        ctx["user_count"] = User.objects.visible_to(user).filter(department=dept, is_active=True).count()
        ctx["events"] = events_for(dept, user)[:HISTORY_LIMIT]
        return ctx


class DepartmentCreateView(ServiceFormView):
    required_action = Action.DEPARTMENT_MANAGE
    form_class = DepartmentForm
    template_name = "orgs/department_form.html"
    success_message = _("已新建科室“%(object)s”。")

    def setup_object(self):
        self.organization = get_visible_or_404(_institutions(), self.request.user, pk=self.kwargs["organization_pk"])

    def get_initial(self):
        parent = self.request.GET.get("parent", "")
        return {"parent": parent} if parent.isdigit() else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.organization}

    def perform(self, form):
        return services.department_create(
            by=self.request.user, organization=self.organization, data=form.service_data()
        )

    def get_success_url(self):
        return f"{department_tree_url(self.organization)}#department-{self.object.pk}"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organization": self.organization}


class DepartmentUpdateView(ServiceFormView):
    required_action = Action.DEPARTMENT_MANAGE
    form_class = DepartmentForm
    template_name = "orgs/department_form.html"
    success_message = _("已保存科室“%(object)s”。")

    def get_object(self):
        dept = get_visible_or_404(
            Department.objects.select_related("organization", "parent"), self.request.user, pk=self.kwargs["pk"]
        )
        self.organization = dept.organization
        return dept

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "organization": self.organization}

    def perform(self, form):
        return services.department_update(department=self.object, by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return department_url(self.object)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organization": self.organization}


class DepartmentSetActiveView(SetActiveView):
    required_action = Action.DEPARTMENT_MANAGE
    template_name = "orgs/set_active.html"

    def get_object(self):
        return get_visible_or_404(
            Department.objects.select_related("organization"), self.request.user, pk=self.kwargs["pk"]
        )

    def set_active(self, obj, *, note):
        return services.department_set_active(department=obj, by=self.request.user, active=self.active, note=note)

    def get_consequences(self):
        User = get_user_model()  # accounts is above orgs (docs/architecture.md)

        if self.active:
            return []
        dept = self.object
        counts = {
            "children": Department.objects.filter(parent=dept, is_active=True).count(),
            "posts": Post.objects.filter(department=dept, is_active=True).count(),
            "users": User.objects.filter(department=dept, is_active=True).count(),
        }
        lines = []
        if counts["children"]:
            lines.append(_("其下有 %(n)d 个启用中的下级科室，不会随之停用。") % {"n": counts["children"]})
        if counts["posts"]:
            lines.append(_("科室内有 %(n)d 个启用中的岗位，不会随之停用。") % {"n": counts["posts"]})
        if counts["users"]:
            lines.append(_("仍有 %(n)d 名在册人员属于该科室，请及时调整其科室。") % {"n": counts["users"]})
        return lines

    def get_success_url(self):
        return department_url(self.object)


class PostCreateView(ServiceFormView):
    """A new post; the department in the URL is preselected (and decides the institution)."""

    required_action = Action.DEPARTMENT_MANAGE
    form_class = PostForm
    template_name = "orgs/post_form.html"
    success_message = _("已新建岗位“%(object)s”。")

    def setup_object(self):
        self.department = get_visible_or_404(
            Department.objects.select_related("organization"), self.request.user, pk=self.kwargs["pk"]
        )
        self.organization = self.department.organization

    def get_initial(self):
        return {"department": self.department.pk, "is_front_line": True}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "organization": self.organization}

    def perform(self, form):
        return services.post_create(by=self.request.user, organization=self.organization, data=form.service_data())

    def get_success_url(self):
        return department_url(self.object.department)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "organization": self.organization, "department": self.department}


class PostUpdateView(ServiceFormView):
    required_action = Action.DEPARTMENT_MANAGE
    form_class = PostForm
    template_name = "orgs/post_form.html"
    success_message = _("已保存岗位“%(object)s”。")

    def get_object(self):
        post = get_visible_or_404(
            Post.objects.select_related("organization", "department"), self.request.user, pk=self.kwargs["pk"]
        )
        self.organization, self.department = post.organization, post.department
        return post

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object, "organization": self.organization}

    def perform(self, form):
        return services.post_update(post=self.object, by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return department_url(self.object.department)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(organization=self.organization, department=self.department)
        ctx["events"] = events_for(self.object, self.request.user)[:HISTORY_LIMIT]
        return ctx


class PostSetActiveView(SetActiveView):
    required_action = Action.DEPARTMENT_MANAGE
    template_name = "orgs/set_active.html"

    def get_object(self):
        return get_visible_or_404(
            Post.objects.select_related("organization", "department"), self.request.user, pk=self.kwargs["pk"]
        )

    def set_active(self, obj, *, note):
        return services.post_set_active(post=obj, by=self.request.user, active=self.active, note=note)

    def get_consequences(self):
        User = get_user_model()  # accounts is above orgs (docs/architecture.md)

        if self.active:
            return []
        n = User.objects.filter(post=self.object, is_active=True).count()
        return [_("仍有 %(n)d 名在册人员在该岗位，请及时调整其岗位。") % {"n": n}] if n else []

    def get_success_url(self):
        return department_url(self.object.department)


# --- engagements (委托/聘请 of inspectors) ----------------------------------------------------------


class EngagementListView(ActionRequiredMixin, TemplateView):
    required_action = Action.ENGAGEMENT_MANAGE
    template_name = "orgs/engagement_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        engagements = list(
            Engagement.objects.visible_to(self.request.user)
            .select_related("inspector__organization", "regulator")
            .prefetch_related("institutions")[:200]
        )
        for e in engagements:
            e.in_force = e.is_active and e.starts_on <= today <= e.ends_on
            e.state = (
                _("已结束")
                if not e.is_active
                else _("委托中")
                if e.in_force
                else _("未开始")
                if e.starts_on > today
                else _("已到期")
            )
        ctx["engagements"] = engagements
        return ctx


def _engagement(request, pk) -> Engagement:
    return get_visible_or_404(
        Engagement.objects.select_related("inspector__organization").filter(is_active=True), request.user, pk=pk
    )


class EngagementCreateView(ServiceFormView):
    required_action = Action.ENGAGEMENT_MANAGE
    template_name = "orgs/engagement_form.html"
    form_class = EngagementForm
    extra_context = {"title": _("委托检查员")}
    success_message = _("已委托：%(object)s")

    def get_initial(self):
        today = timezone.localdate()
        return {"starts_on": today, "ends_on": today + dt.timedelta(days=30)}

    def perform(self, form):
        data = form.service_data()
        institutions = data.pop("institutions", [])
        return services.engagement_create(by=self.request.user, data=data, institutions=institutions)

    def get_success_url(self):
        return reverse("orgs:engagement-list")


class EngagementUpdateView(EngagementCreateView):
    extra_context = {"title": _("修改委托")}
    success_message = _("已修改委托：%(object)s")

    def get_object(self):
        return _engagement(self.request, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "editing": True}

    def get_initial(self):
        e = self.object
        return {
            "inspector": e.inspector,
            "whole_jurisdiction": e.whole_jurisdiction,
            "purpose": e.purpose,
            "starts_on": e.starts_on,
            "ends_on": e.ends_on,
            "institutions": list(e.institutions.all()),
        }

    def perform(self, form):
        data = form.service_data()
        institutions = data.pop("institutions", [])
        return services.engagement_update(
            by=self.request.user, engagement=self.object, data=data, institutions=institutions
        )


class EngagementEndView(ServiceFormView):
    required_action = Action.ENGAGEMENT_MANAGE
    template_name = "orgs/engagement_form.html"
    form_class = EngagementEndForm
    extra_context = {"title": _("结束委托"), "ending": True}
    success_message = _("已结束委托：%(object)s")

    def get_object(self):
        return _engagement(self.request, self.kwargs["pk"])

    def perform(self, form):
        return services.engagement_end(
            by=self.request.user, engagement=self.object, note=form.cleaned_data.get("note", "")
        )

    def get_success_url(self):
        return reverse("orgs:engagement-list")
