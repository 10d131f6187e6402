from django.urls import path

app_name = "compensation"
urlpatterns: list = []
