"""Inspection points and their printable QR labels."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from anjian.core.errors import DomainError
from anjian.core.permissions import Action
from anjian.core.scoping import get_visible_or_404
from anjian.core.views import ActionRequiredMixin, ServiceFormView
from anjian.inspections import forms, labels, services
from anjian.inspections.models import (
    InspectionPoint,
)


class PointListView(ActionRequiredMixin, TemplateView):
    required_action = Action.INSPECTION_VIEW
    template_name = "inspections/point_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["points"] = (
            InspectionPoint.objects.visible_to(self.request.user)
            .select_related("organization", "department")
            .order_by("organization__path", "name")[:500]
        )
        return ctx


class PointCreateView(ServiceFormView):
    required_action = Action.SCHEDULE_MANAGE
    template_name = "core/form.html"
    form_class = forms.PointForm
    extra_context = {"title": _("新建巡检点")}
    success_message = _("已新建巡检点“%(object)s”。")

    def perform(self, form):
        return services.point_create(by=self.request.user, data=form.service_data())

    def get_success_url(self):
        return reverse("inspections:point-list")


class PointEditView(PointCreateView):
    extra_context = {"title": _("修改巡检点")}
    success_message = _("已保存巡检点“%(object)s”。")

    def get_object(self):
        return get_visible_or_404(InspectionPoint, self.request.user, pk=self.kwargs["pk"])

    def get_initial(self):
        return {"name": self.object.name, "location": self.object.location, "department": self.object.department}

    def perform(self, form):
        return services.point_update(by=self.request.user, point=self.object, data=form.service_data())


class PointLabelsView(ActionRequiredMixin, TemplateView):
    """A printable A4 sheet of QR labels (SVG drawn on the server), all the unit's points or the
    chosen ones. A label proves presence, so only those who manage the unit's points print them."""

    required_action = Action.SCHEDULE_MANAGE
    template_name = "inspections/point_labels.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        points = InspectionPoint.objects.visible_to(user).filter(is_active=True, organization_id=user.organization_id)
        ids = [int(x) for x in self.request.GET.getlist("id") if x.isdigit()]
        if ids:
            points = points.filter(pk__in=ids)
        points = points.select_related("organization", "department").order_by("organization__path", "name")[:200]
        ctx["labels"] = []
        for p in points:
            url = self.request.build_absolute_uri(labels.label_path(p))
            ctx["labels"].append({"point": p, "url": url, "svg": labels.qr_svg(url)})
        return ctx


class PointReissueLabelView(ActionRequiredMixin, View):
    """POST: 重新生成标签 — a new label for the point; the labels printed before no longer prove
    presence. Then the new label, ready to print."""

    required_action = Action.SCHEDULE_MANAGE

    def post(self, request, pk):
        point = get_visible_or_404(InspectionPoint, request.user, pk=pk)
        try:
            point = services.point_reissue_label(by=request.user, point=point)
        except DomainError as exc:
            messages.error(request, exc.message)
            return HttpResponseRedirect(reverse("inspections:point-list"))
        messages.success(
            request,
            _("已重新生成“%(p)s”的二维码标签（第%(n)s版）：请打印并替换现场的旧标签，旧标签扫码不再记为到场。")
            % {"p": point.name, "n": point.label_version},
        )
        return HttpResponseRedirect(f"{reverse('inspections:point-labels')}?id={point.pk}")
