from django.contrib import admin

from comptoir.learning.models import Attempt, Badge, Question, Quiz


@admin.register(Quiz)
class QuizAdmin(admin.ModelAdmin):
    list_display = ("title", "author", "audience", "published", "created_at")
    list_filter = ("published", "audience")
    raw_id_fields = ("author", "team")
    search_fields = ("title",)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ("text", "kind", "quiz", "topic")
    raw_id_fields = ("quiz", "author")


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ("quiz", "user", "number", "status", "score", "passed", "started_at")
    raw_id_fields = ("quiz", "user", "team")


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    list_display = ("user", "topic", "level", "quizzes_passed", "average_score")
    raw_id_fields = ("user",)
