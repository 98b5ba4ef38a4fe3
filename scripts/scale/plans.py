"""The city's three-year action plan: 30 tasks assigned to every institution, each assignment's
progress (done mostly for tasks past their deadline) with its progress report and review."""

from __future__ import annotations

import datetime as dt
import random

from scale.base import GeneratorBase
from scale.city import weighted

ASSIGNMENT_COLUMNS = [
    "id",
    "task_id",
    "organization_id",
    "status",
    "review_state",
    "review_comment",
    "reviewed_at",
    "last_reported_on",
    "report_count",
    "version",
]


class PlanSteps(GeneratorBase):
    # --- action plans ----------------------------------------------------------------------------
    def plan(self) -> int:
        rng = random.Random(self.seed * 1000 + 7)
        tasks = self._plan_tasks()
        first = self._reserve("action_plans_assignment", len(tasks) * len(self.insts))
        rows, reports, next_id = [], [], first
        for task in tasks:
            past = task.deadline < self.today
            for inst in self.insts:
                if past:
                    status = weighted(rng, [("done", 88), ("in_progress", 9), ("not_started", 3)])
                else:
                    status = weighted(rng, [("done", 15), ("in_progress", 50), ("not_started", 35)])
                review = {"done": "accepted", "in_progress": rng.choice(["", "", "pending", "returned"])}.get(
                    status, ""
                )
                reported = None
                if status != "not_started":
                    reported = min(self.today, task.deadline) - dt.timedelta(days=rng.randrange(0, 60))
                    reports.append((next_id, reported, status == "done" or review == "pending", inst.officer))
                reviewed = (
                    dt.datetime.combine(reported, dt.time(15), tzinfo=self.tz)
                    if review in ("accepted", "returned")
                    else None
                )
                rows.append(
                    (
                        next_id,
                        task.pk,
                        inst.id,
                        status,
                        review,
                        "请补充佐证材料" if review == "returned" else "",
                        reviewed,
                        reported,
                        1 if reported else 0,
                        1 if reported else 0,
                    )
                )
                next_id += 1
        n = self._copy("action_plans_assignment", ASSIGNMENT_COLUMNS, rows)
        self._copy(
            "action_plans_progressreport",
            ["assignment_id", "text", "reported_on", "result_form", "claims_done", "reported_by_id", "created_at"],
            (
                (
                    a,
                    "已按要求开展排查整治，建立工作台账。",
                    on,
                    "工作台账",
                    claims,
                    by,
                    dt.datetime.combine(on, dt.time(10), tzinfo=self.tz),
                )
                for a, on, claims, by in reports
            ),
        )
        return n

    def _plan_tasks(self) -> list:
        """The plan issued by the city a month into the period: five actions of six tasks, their
        deadlines spread over the years."""
        from anjian.action_plans.models import Plan, PlanAction, Task

        city_admin = self.regulators[self.city_id][0]
        first_year = self.start.year + 1
        plan = Plan.objects.create(
            organization_id=self.city_id,
            title="规模测试市卫生健康行业安全生产治本攻坚三年行动任务清单",
            document_number=f"测卫〔{first_year}〕1号",
            issued_on=self.start.date() + dt.timedelta(days=30),
            start_year=first_year,
            end_year=first_year + 2,
            created_by_id=city_admin,
        )
        self.plan_id = plan.pk
        tasks = []
        for a in range(5):
            action = PlanAction.objects.create(plan=plan, number=a + 1, title=f"第{a + 1}项行动")
            for t in range(6):
                k = a * 6 + t
                offset = int(365 * self.years * (k + 1) / 31)
                deadline = self.start.date() + dt.timedelta(days=offset)
                tasks.append(
                    Task(
                        plan=plan,
                        action=action,
                        number=str(k + 1),
                        sort_order=k + 1,
                        title=f"重点任务{k + 1}",
                        content=f"各单位落实重点任务{k + 1}：开展专项排查整治，建立台账，按期报送进展。",
                        units_text="辖区全部医疗卫生机构",
                        deadline=deadline,
                        deadline_text=f"{deadline:%Y年%m月}底前",
                        rhythm="quarterly",
                        result_form="工作台账、总结报告",
                    )
                )
        Task.objects.bulk_create(tasks)
        return tasks
