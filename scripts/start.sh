#!/usr/bin/env bash
# Install, migrate, load content and demo accounts, then serve on http://127.0.0.1:5000 (SQLite).
source "$(dirname "$0")/_venv.sh"
export FLASK_APP=academy
flask db upgrade
flask content load
flask demo load
exec flask run --host 127.0.0.1 --port "${PORT:-5000}"
