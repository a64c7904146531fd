from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.register("training/courses", views.CourseViewSet, basename="training-course")
router.register("training/progress", views.EnrolmentViewSet, basename="training-progress")
router.register("training/certificates", views.CertificateViewSet, basename="training-certificate")

urlpatterns = router.urls
