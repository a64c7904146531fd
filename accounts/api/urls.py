from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.include_format_suffixes = False
router.register("me/api-keys", views.ApiTokenViewSet, basename="api-key")

urlpatterns = router.urls
