"""The project's URL patterns plus three deliberately unscoped views, to prove that the
isolation test catches a pattern nobody declared and a view that forgets ``visible_to``."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from anjian.orgs.models import Organization
from anjian.urls import urlpatterns as project_patterns


@login_required
def leak_detail(request, pk):
    return HttpResponse(Organization.objects.get(pk=pk).name)  # no visible_to: the bug


@login_required
def leak_list(request):
    return HttpResponse("\n".join(Organization.objects.values_list("name", flat=True)))


@csrf_exempt
@login_required
def leak_rename(request, pk):
    org = Organization.objects.get(pk=pk)
    if request.method == "POST":
        org.name = request.POST["name"]
        org.save(update_fields=["name"])
    return HttpResponse("ok")


urlpatterns = [
    *project_patterns,
    path("leak/<int:pk>/", leak_detail, name="leak"),
    path("leak/", leak_list, name="leak-list"),
    path("leak/<int:pk>/rename/", leak_rename, name="leak-rename"),
]
