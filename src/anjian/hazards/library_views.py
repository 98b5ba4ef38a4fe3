"""Pages of the hazard library: categories and the versioned major-hazard determination standards."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, TemplateView

from anjian.core.audit import events_for
from anjian.core.inputs import id_or_none
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.hazards import forms, library
from anjian.hazards.models import Criterion, CriterionSet, HazardCategory

LIBRARY = Action.HAZARD_LIBRARY_MANAGE


class LibraryView(ActionRequiredMixin, TemplateView):
    required_action = LIBRARY
    template_name = "hazards/library.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["categories"] = library.category_list()
        ctx["criterion_sets"] = library.criterion_set_list()
        return ctx


class LibraryFormView(ServiceFormView):
    """A create/edit form of the library; ``model`` and ``pk`` pick the object being edited."""

    required_action = LIBRARY
    template_name = "hazards/library_form.html"
    model = None
    title = ""
    form_edits_object = True

    def get_object(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"]) if "pk" in self.kwargs else None

    def get_success_url(self):
        return reverse("hazards:library")

    def get_cancel_url(self):
        return self.get_success_url() if self.object is not None else reverse("hazards:library")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = self.title
        ctx["cancel_url"] = self.get_cancel_url()
        if self.object is not None:
            ctx["events"] = events_for(self.object, self.request.user, shared=True)[:50]
        return ctx


class CategoryCreateView(LibraryFormView):
    form_class = forms.CategoryForm
    title = _("新增隐患类别")
    success_message = _("已新增隐患类别“%(object)s”。")

    def perform(self, form):
        return library.category_create(by=self.request.user, data=form.service_data())


class CategoryUpdateView(LibraryFormView):
    model = HazardCategory
    form_class = forms.CategoryForm
    title = _("修改隐患类别")
    success_message = _("已保存隐患类别“%(object)s”。")

    def perform(self, form):
        return library.category_update(category=self.object, by=self.request.user, data=form.service_data())


class CriterionSetCreateView(LibraryFormView):
    form_class = forms.CriterionSetForm
    title = _("新增判定标准或新版本")
    success_message = _("已新增判定标准“%(object)s”。")

    def copy_from(self):
        pk = self.request.GET.get("copy_from") or self.request.POST.get("copy_from")
        pk = id_or_none(pk)
        return get_object_or_404(CriterionSet, pk=pk) if pk is not None else None

    def get_initial(self):
        source = self.copy_from()
        if source is None:
            return {}
        return {"name": source.name, "document_number": source.document_number, "is_active": True}

    def perform(self, form):
        return library.criterion_set_create(by=self.request.user, data=form.service_data(), copy_from=self.copy_from())

    def get_success_url(self):
        return reverse("hazards:criterion-set-detail", args=[self.object.pk])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["copy_from"] = self.copy_from()
        return ctx


class CriterionSetUpdateView(LibraryFormView):
    model = CriterionSet
    form_class = forms.CriterionSetForm
    title = _("修改判定标准")
    success_message = _("已保存“%(object)s”。")

    def perform(self, form):
        return library.criterion_set_update(criterion_set=self.object, by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("hazards:criterion-set-detail", args=[self.object.pk])


class CriterionSetDetailView(ActionRequiredMixin, DetailView):
    required_action = LIBRARY
    template_name = "hazards/criterion_set_detail.html"
    model = CriterionSet
    context_object_name = "criterion_set"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["criteria"] = self.object.criteria.select_related("category").order_by("pk")
        ctx["events"] = events_for(self.object, self.request.user, shared=True)[:50]
        return ctx


class CriterionCreateView(LibraryFormView):
    form_class = forms.CriterionForm
    title = _("新增判定条目")
    success_message = _("已新增判定条目。")

    def criterion_set(self):
        return get_object_or_404(CriterionSet, pk=self.kwargs["set_pk"])

    def perform(self, form):
        return library.criterion_create(
            by=self.request.user, criterion_set=self.criterion_set(), data=form.service_data()
        )

    def get_success_url(self):
        return reverse("hazards:criterion-set-detail", args=[self.kwargs["set_pk"]])

    def get_cancel_url(self):
        return self.get_success_url()


class CriterionUpdateView(LibraryFormView):
    model = Criterion
    form_class = forms.CriterionForm
    title = _("修改判定条目")
    success_message = _("已保存判定条目。")

    def perform(self, form):
        return library.criterion_update(criterion=self.object, by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("hazards:criterion-set-detail", args=[self.object.criterion_set_id])
