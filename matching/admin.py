from django.contrib import admin

from .models import InterestExpression, MatchingRound, MatchingSettings, Opportunity, Proposal, RejectedPair


@admin.register(MatchingSettings)
class MatchingSettingsAdmin(admin.ModelAdmin):
    list_display = ["programme", "support", "first_need", "industry", "interests", "low_score_warning"]


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = ["pk", "programme", "scope", "status", "progress", "created_at"]
    list_filter = ["status", "scope"]
    readonly_fields = ["pool_key", "weights", "quality", "error", "started_by", "started_at", "finished_at"]


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["pk", "round", "mentor", "mentee", "score", "status"]
    list_filter = ["status", "manual", "locked"]
    raw_id_fields = ["round", "mentor", "mentee", "cohort", "decided_by", "relationship"]
    # Decisions go through the services (relationship, audit, emails), not the admin.
    readonly_fields = ["status", "decided_by", "decided_at", "reason", "relationship"]


@admin.register(RejectedPair)
class RejectedPairAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "rejected_by", "created_at"]
    raw_id_fields = ["mentor", "mentee", "rejected_by", "proposal"]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ["title", "cohort", "places", "status"]
    list_filter = ["status"]


@admin.register(InterestExpression)
class InterestExpressionAdmin(admin.ModelAdmin):
    list_display = ["mentor", "opportunity", "status", "expires_at"]
    list_filter = ["status"]
    raw_id_fields = ["mentor", "opportunity", "decided_by"]
