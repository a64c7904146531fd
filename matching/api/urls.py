from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.include_format_suffixes = False
router.include_root_view = False
router.register("matching/rounds", views.RoundViewSet, basename="matching-round")
router.register("matching/proposals", views.ProposalViewSet, basename="matching-proposal")

urlpatterns = router.urls
