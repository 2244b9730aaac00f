#!/usr/bin/env bash
# Apache Superset for the BMA executive dashboard: `superset.sh up` or `superset.sh stop`.
# `make superset` / `make superset-stop` call this; the tests call it with their own settings.
#
#   up    metadata in SQLite under $BMA_SUPERSET_HOME (db upgrade, admin, init — once),
#         gunicorn on $SUPERSET_HOST:$SUPERSET_PORT in the background (pid file in
#         $BMA_SUPERSET_HOME), then the warehouse connection and the dashboard imported
#         from bi/superset/bundle/ (overwriting, so a re-run updates and never duplicates).
#   stop  ends the server whose pid is in the pid file.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/../.." && pwd)"
SUPERSET_VENV="${SUPERSET_VENV:-$REPO/.venv-superset}"
PIPELINE_PYTHON="${PIPELINE_PYTHON:-$REPO/.venv/bin/python}"
export BMA_SUPERSET_HOME="${BMA_SUPERSET_HOME:-$REPO/data/superset}"
export SUPERSET_CONFIG_PATH="${SUPERSET_CONFIG_PATH:-$REPO/bi/superset/superset_config.py}"
export FLASK_APP=superset
export SUPERSET_ADMIN_USERNAME="${SUPERSET_ADMIN_USERNAME:-admin}"
export SUPERSET_ADMIN_PASSWORD="${SUPERSET_ADMIN_PASSWORD:-admin}"
SUPERSET_HOST="${SUPERSET_HOST:-127.0.0.1}"
SUPERSET_PORT="${SUPERSET_PORT:-8088}"
SUPERSET_WORKERS="${SUPERSET_WORKERS:-2}"
# The warehouse as the read-only BI role (a password, if any, in BMA_BI_READER_PASSWORD).
BMA_SUPERSET_WAREHOUSE="${BMA_SUPERSET_WAREHOUSE:-postgresql://bma_bi_reader@127.0.0.1:5432/bma_demo}"
# The published bi file beside the DuckDB warehouse (the warehouse itself is locked during runs).
BMA_SUPERSET_DUCKDB="${BMA_SUPERSET_DUCKDB:-$REPO/data/warehouse.bi.duckdb}"
# The bundle imported: the committed one (make superset-bundle points it at the definition).
BMA_SUPERSET_BUNDLE="${BMA_SUPERSET_BUNDLE:-$REPO/bi/superset/bundle}"

PIDFILE="$BMA_SUPERSET_HOME/superset.pid"
LOG="$BMA_SUPERSET_HOME/superset.log"
URL="http://$SUPERSET_HOST:$SUPERSET_PORT"

running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

up() {
  [[ -x "$SUPERSET_VENV/bin/superset" ]] || { echo "no Superset venv at $SUPERSET_VENV (make superset-venv)" >&2; exit 1; }
  mkdir -p "$BMA_SUPERSET_HOME"
  local version stamp="$BMA_SUPERSET_HOME/.initialised"
  version="$("$SUPERSET_VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-superset"))')"
  if [[ "$(cat "$stamp" 2>/dev/null)" != "$version" ]]; then
    echo "superset $version: initialising metadata in $BMA_SUPERSET_HOME/superset.db (log: $BMA_SUPERSET_HOME/setup.log)"
    {
      "$SUPERSET_VENV/bin/superset" db upgrade
      "$SUPERSET_VENV/bin/superset" fab create-admin --username "$SUPERSET_ADMIN_USERNAME" \
        --password "$SUPERSET_ADMIN_PASSWORD" --firstname Admin --lastname BMA --email admin@localhost
      "$SUPERSET_VENV/bin/superset" init
    } >"$BMA_SUPERSET_HOME/setup.log" 2>&1 || { tail -30 "$BMA_SUPERSET_HOME/setup.log" >&2; exit 1; }
    echo "$version" >"$stamp"
  fi
  if running; then
    echo "superset already running (pid $(cat "$PIDFILE"))"
  else
    rm -f "$PIDFILE"
    (cd "$BMA_SUPERSET_HOME" && "$SUPERSET_VENV/bin/gunicorn" \
      --bind "$SUPERSET_HOST:$SUPERSET_PORT" --workers "$SUPERSET_WORKERS" --worker-class gthread \
      --threads 4 --timeout 120 --limit-request-line 0 --limit-request-field_size 0 \
      --pid "$PIDFILE" --daemon --error-logfile "$LOG" --access-logfile "$LOG" \
      "superset.app:create_app()")
    for _ in $(seq 1 50); do [[ -s "$PIDFILE" ]] && break; sleep 0.2; done
    running || { tail -30 "$LOG" >&2; echo "superset did not start" >&2; exit 1; }
    echo "superset started (pid $(cat "$PIDFILE"), log $LOG)"
  fi
  local duckdb_args=()
  [[ -f "$BMA_SUPERSET_DUCKDB" ]] && duckdb_args=(--duckdb "$BMA_SUPERSET_DUCKDB")
  (cd "$REPO" && "$PIPELINE_PYTHON" -m bma_tools.superset.provision import --url "$URL" \
    --bundle "$BMA_SUPERSET_BUNDLE" --warehouse "$BMA_SUPERSET_WAREHOUSE" "${duckdb_args[@]}")
  echo
  echo "Superset: $URL/superset/dashboard/bma-executive/"
  echo "  login: $SUPERSET_ADMIN_USERNAME / $SUPERSET_ADMIN_PASSWORD   (SUPERSET_ADMIN_USERNAME, SUPERSET_ADMIN_PASSWORD)"
  echo "  stop:  make superset-stop"
}

stop() {
  if running; then
    local pid; pid="$(cat "$PIDFILE")"
    kill "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    echo "superset stopped (pid $pid)"
  else
    echo "superset not running"
  fi
  rm -f "$PIDFILE"
}

case "${1:-}" in
  up) up ;;
  stop) stop ;;
  *) echo "usage: $0 up|stop" >&2; exit 2 ;;
esac
