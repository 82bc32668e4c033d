"""A small Django app for test_django.py: the field types and constraints real apps use."""
