from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.include_root_view = False
router.register("messages", views.MessageViewSet, basename="message")
router.register("concerns", views.ConcernViewSet, basename="concern")
router.register("me/data-exports", views.DataExportViewSet, basename="data-export")

urlpatterns = router.urls
