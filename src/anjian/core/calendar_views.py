"""The administrator's pages for the official holiday schedule (``anjian.core.workdays``)."""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from anjian.core import workdays
from anjian.core.forms import StyledForm
from anjian.core.models import WorkCalendarYear
from anjian.core.periods import MAX_YEAR, MIN_YEAR
from anjian.core.permissions import Action
from anjian.core.views import ActionRequiredMixin, ServiceFormView


class WorkCalendarForm(StyledForm):
    wide_fields = ("holidays", "workdays", "source")

    holidays = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("每行一天或一段，如“2027-01-01 元旦”“2027-02-06 至 2027-02-13 春节”，含周末。"),
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一天，如“2027-02-20 春节调休”；须为周六或周日。"),
    )
    source = forms.CharField(label=_("依据（通知名称和文号）"), max_length=200, required=False)


class WorkCalendarView(ActionRequiredMixin, TemplateView):
    required_action = Action.WORK_CALENDAR_MANAGE
    template_name = "core/work_calendar.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        entered = {row.year: row for row in WorkCalendarYear.objects.all()}
        rows = []
        for year in sorted(set(range(today.year - 1, today.year + 2)) | set(entered), reverse=True):
            schedule = workdays.schedule_of(year)
            row = entered.get(year)
            rows.append(
                {
                    "year": year,
                    "source": schedule.source,
                    "holidays": sum(1 for d in schedule.holidays if d.weekday() < 5),
                    "workdays": len(schedule.workdays),
                    "note": row.source if row else "",
                }
            )
        ctx["years"] = rows
        return ctx


class WorkCalendarEditView(ServiceFormView):
    required_action = Action.WORK_CALENDAR_MANAGE
    form_class = WorkCalendarForm

    def setup_object(self):
        year = self.kwargs["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise Http404
        self.year = year
        self.object = WorkCalendarYear.objects.filter(year=year).first()

    def get_initial(self):
        if self.object is not None:
            return {
                "holidays": workdays.as_text(self.object.holidays),
                "workdays": workdays.as_text(self.object.workdays),
                "source": self.object.source,
            }
        schedule = workdays.schedule_of(self.year)  # start from what is known: the package's or the statutory days
        off = [
            {"day": d.isoformat(), "name": str(workdays.STATUTORY_HOLIDAYS.get((d.month, d.day), ""))}
            for d in sorted(schedule.holidays)
        ]
        return {
            "holidays": workdays.as_text(off),
            "workdays": workdays.as_text([{"day": d.isoformat(), "name": ""} for d in sorted(schedule.workdays)]),
        }

    def perform(self, form):
        data = form.cleaned_data
        return workdays.work_calendar_save(
            by=self.request.user,
            year=self.year,
            holidays=data["holidays"],
            workdays=data.get("workdays", ""),
            source=data.get("source", ""),
        )

    def get_success_message(self) -> str:
        return str(_("%(year)s 年节假日安排已保存。") % {"year": self.year})

    def get_success_url(self):
        return reverse("core:work-calendar")

    def get_cancel_url(self) -> str:
        return reverse("core:work-calendar")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = _("%(year)s 年节假日安排") % {"year": self.year}
        ctx["note"] = _(
            "按国务院办公厅关于%(year)s年部分节假日安排的通知填写：放假日期包括调休形成的连休周末；调休上班的周六、周日另行填写。"
        ) % {"year": self.year}
        return ctx
