#!/usr/bin/env bash
# Install with the dev extra and run the whole test suite (SQLite, or PostgreSQL when
# ACADEMY_TEST_DATABASE_URL is set). Extra arguments go to pytest.
source "$(dirname "$0")/_venv.sh" dev
bash scripts/system-packages.sh
ruff check .
exec python -m pytest "$@"
