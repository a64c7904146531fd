from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.register("resources/library", views.ResourceViewSet, basename="resources-resource")
router.register("resources/bulletins", views.BulletinViewSet, basename="resources-bulletin")

urlpatterns = router.urls
