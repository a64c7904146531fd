from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.register("community-events", views.EventViewSet, basename="community-event")

urlpatterns = router.urls
