"""Page URLs of this app (mounted at the site root by jangkau.urls)."""

app_name = "reports"

urlpatterns: list = []
