"""Checklists and their versions: the list, a version with its items, the actions on it (copy,
new version, publish, add or remove an item), the forms."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView

from anjian.core.errors import DomainError
from anjian.core.permissions import Action, can
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, FilteredListView, ServiceFormView
from anjian.inspections import forms, selectors, services
from anjian.inspections.models import (
    ChecklistItem,
    ChecklistTemplate,
)
from anjian.inspections.views.common import id_or_404


class TemplateListView(FilteredListView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/template_list.html"
    filter_form_class = forms.TemplateFilterForm

    def get_filtered_queryset(self, q="", status="", **_ignored):
        return selectors.template_list(user=self.request.user, q=q, status=status)


class TemplateDetailView(ActionRequiredMixin, DetailView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/template_detail.html"
    context_object_name = "template"

    def get_object(self, queryset=None):
        return selectors.template_get(user=self.request.user, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        t = self.object
        user = self.request.user
        ctx["may_edit"] = services.may_edit_template(user, t)
        ctx["may_copy"] = can(user, Action.CHECKLIST_MANAGE) and t.owner_id != user.organization_id
        ctx["versions"] = ChecklistTemplate.objects.visible_to(user).filter(family=t.family).order_by("-version")
        ctx["item_form"] = forms.ItemForm(user=user)
        return ctx


TEMPLATE_ACTIONS = {
    "copy": (lambda t, by, post: services.template_copy(by=by, template=t), _("已复制为本单位检查表草稿。")),
    "new-version": (lambda t, by, post: services.template_new_version(by=by, template=t), _("已新建版本草稿。")),
    "publish": (lambda t, by, post: services.template_publish(by=by, template=t), _("已发布。")),
}


class TemplateActionView(ActionRequiredMixin, View):
    """POST: copy a checklist, start a new version, publish a draft, add an item to a draft or
    remove one from it."""

    required_action = Action.CHECKLIST_MANAGE

    def post(self, request, pk, action):
        template = get_visible_or_404(ChecklistTemplate, request.user, pk=pk)
        try:
            if action == "add-item":
                form = forms.ItemForm(request.POST, user=request.user)
                if not form.is_valid():
                    raise DomainError("；".join(str(e) for errs in form.errors.values() for e in errs))
                data = form.service_data()
                section = data.pop("section")
                services.item_add(by=request.user, template=template, section_title=section, data=data)
                result, message = template, _("已添加检查项。")
            elif action == "remove-item":
                item = get_visible_or_404(
                    ChecklistItem.objects.filter(template=template),
                    request.user,
                    pk=id_or_404(request.POST.get("item")),
                )
                result = services.item_remove(by=request.user, item=item)
                message = _("已删除检查项“%(t)s”。") % {"t": item.text}
            elif action in TEMPLATE_ACTIONS:
                call, message = TEMPLATE_ACTIONS[action]
                result = call(template, request.user, request.POST)
            else:
                raise Http404(_("未找到该操作。"))
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("inspections:template-detail", args=[template.pk]))
        messages.success(request, message)
        return HttpResponseRedirect(reverse("inspections:template-detail", args=[result.pk]))


class TemplateCreateView(ServiceFormView):
    required_action = Action.CHECKLIST_MANAGE
    template_name = "core/form.html"
    form_class = forms.TemplateForm
    extra_context = {"title": _("新建检查表")}

    def perform(self, form):
        return services.template_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:template-detail", args=[self.object.pk])


class TemplateEditView(TemplateCreateView):
    extra_context = {"title": _("修改检查表草稿")}

    def get_object(self):
        return get_visible_or_404(ChecklistTemplate, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {f: getattr(self.object, f) for f in services.TEMPLATE_FIELDS}

    def perform(self, form):
        return services.template_update(by=self.request.user, template=self.object, data=form.service_data())


class ItemEditView(ServiceFormView):
    """Change an item of a draft; published versions never change (the service refuses)."""

    required_action = Action.CHECKLIST_MANAGE
    template_name = "core/form.html"
    form_class = forms.ItemEditForm
    extra_context = {"title": _("修改检查项")}
    success_message = _("已保存检查项“%(object)s”。")

    def get_object(self):
        template = get_visible_or_404(ChecklistTemplate, self.request.user, pk=self.kwargs["pk"])
        return get_visible_or_404(
            ChecklistItem.objects.filter(template=template), self.request.user, pk=self.kwargs["item_pk"]
        )

    def get_initial(self):
        return {f: getattr(self.object, f) for f in forms.ItemEditForm.Meta.fields}

    def perform(self, form):
        return services.item_update(by=self.request.user, item=self.object, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:template-detail", args=[self.object.template_id])
