#!/usr/bin/env bash
# Every check and test. Runs against SQLite, or PostgreSQL when DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=xiaoqu.settings

step() { printf '\n== %s\n' "$*"; }

# Browser tests need Debian's chromium and a CJK font; install them where we can (as root).
if [ -z "${XIAOQU_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    step "installing chromium and fonts-wqy-microhei for the browser tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei >/dev/null \
      || (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-wqy-microhei >/dev/null) \
      || echo "!! could not install chromium: browser tests will be SKIPPED"
  else
    echo "!! chromium is not installed and cannot be installed here (not root):"
    echo "!! browser tests will be SKIPPED. Install Debian's chromium and fonts-wqy-microhei to run them."
  fi
fi

step "ruff"
$BIN/ruff check .
$BIN/ruff format --check .
step "mypy"
$BIN/mypy xiaoqu bench scripts
step "migrations are complete"
$BIN/xiaoqu makemigrations --check --dry-run
step "translations"
$BIN/python scripts/check_messages.py
step "pytest (${DATABASE_URL:+PostgreSQL}${DATABASE_URL:-SQLite})"
# Two workers by default (XIAOQU_TEST_WORKERS=0 runs in one process); each keeps its own
# test database and data directory.
$BIN/pytest -n "${XIAOQU_TEST_WORKERS:-2}" "$@"
