from django.urls import path
from rest_framework.routers import SimpleRouter

from anjian.training.api import views

router = SimpleRouter(use_regex_path=False)
router.register("trainings", views.TrainingViewSet, basename="training")
router.register("certificates", views.CertificateViewSet, basename="certificate")
router.register("drills", views.DrillViewSet, basename="drill")
router.register("emergency-plans", views.EmergencyPlanViewSet, basename="emergency-plan")
router.register("exams/papers", views.PaperViewSet, basename="exam-paper")
router.register("exams/attempts", views.AttemptViewSet, basename="exam-attempt")

urlpatterns = [
    *router.urls,
    path("people/<int:pk>/training/", views.PersonTrainingView.as_view(), name="person-training"),
]
