from django.contrib import admin

from jangkau.core.models import TaskProgress


@admin.register(TaskProgress)
class TaskProgressAdmin(admin.ModelAdmin):
    list_display = ["label", "state", "done", "total", "created", "updated"]
    list_filter = ["state"]
    readonly_fields = ["task_result_id", "created", "updated"]
