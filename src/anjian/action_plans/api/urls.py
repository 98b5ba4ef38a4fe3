from rest_framework.routers import SimpleRouter

from anjian.action_plans.api import views

router = SimpleRouter(use_regex_path=False)
router.register("plans", views.PlanViewSet, basename="plan")
router.register("plan-tasks", views.TaskViewSet, basename="plan-task")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("progress-reports", views.ProgressReportViewSet, basename="progress-report")
router.register("report-definitions", views.ReportDefinitionViewSet, basename="report-definition")
router.register("report-submissions", views.SubmissionViewSet, basename="report-submission")

urlpatterns = router.urls
