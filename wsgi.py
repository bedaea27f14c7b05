"""Production entry point: ``gunicorn wsgi:app`` (settings come from ACADEMY_* variables)."""

from academy import create_app

app = create_app()
