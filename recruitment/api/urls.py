from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("applications", views.ApplicationViewSet, basename="application")
router.register("screenings", views.ScreeningViewSet, basename="screening")
router.register("mentee-imports", views.MenteeImportViewSet, basename="menteeimport")

urlpatterns = router.urls
