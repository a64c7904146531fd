from django.contrib import admin

from .models import ImpactReport, Instrument, InstrumentVersion, Question, SurveyInstance


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "purpose"]


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(admin.ModelAdmin):
    list_display = ["instrument", "number", "status", "published_at"]
    list_filter = ["status"]
    inlines = [QuestionInline]


@admin.register(SurveyInstance)
class SurveyInstanceAdmin(admin.ModelAdmin):
    list_display = ["version", "programme", "is_open", "closes_on"]


@admin.register(ImpactReport)
class ImpactReportAdmin(admin.ModelAdmin):
    list_display = ["programme", "period_start", "period_end", "status", "created_at"]
    exclude = ["pdf"]
