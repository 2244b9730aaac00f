"""Superset configuration for the BMA executive dashboard (read through SUPERSET_CONFIG_PATH).

Everything Superset writes lives under BMA_SUPERSET_HOME (default `data/superset/` of the
repository): the SQLite metadata database, the generated secret key and the logs. Nothing here
phones home: the Content-Security-Policy admits only this server, so the footer's Scarf pixel,
map tiles and web fonts are never fetched.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
SUPERSET_HOME = Path(os.environ.get("BMA_SUPERSET_HOME", _REPO / "data" / "superset")).resolve()
SUPERSET_HOME.mkdir(parents=True, exist_ok=True)
DATA_DIR = str(SUPERSET_HOME)


def _secret_key() -> str:
    """SUPERSET_SECRET_KEY if set, else a key generated once and kept in the data folder.

    The key encrypts the stored database passwords: keep the file (or the variable) stable.
    """
    from_env = os.environ.get("SUPERSET_SECRET_KEY")
    if from_env:
        return from_env
    path = SUPERSET_HOME / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false"

APP_NAME = "BMA Digital Plans"
BABEL_DEFAULT_LOCALE = "en"

FEATURE_FLAGS = {
    # Dashboards and charts come from the YAML bundle (import v1) and refer to each other by UUID.
    "VERSIONED_EXPORT": True,
    "DASHBOARD_NATIVE_FILTERS": True,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "THUMBNAILS": False,
    "ALERT_REPORTS": False,
    "EMBEDDED_SUPERSET": False,
    # Eight charts: render them all at once rather than as they scroll into view.
    "DASHBOARD_VIRTUALIZATION": False,
}

# No Celery, Redis or mail server here: the rate limiter keeps its counters in memory.
RATELIMIT_STORAGE_URI = "memory://"
# The SQLite metadata database and the warehouse are both local: no results backend.
RESULTS_BACKEND = None

# Phone-home: Superset's footer embeds a Scarf tracking pixel; a CSP of 'self' only blocks it,
# together with external map tiles and fonts (none are needed offline).
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# Superset's default, kept: no SQLite or shillelagh connections to this machine's files.
# (The published DuckDB bi file, `data/warehouse.bi.duckdb`, is registered read-only by
# `bma_pipeline/bi/superset_provision.py`.)
PREVENT_UNSAFE_DB_CONNECTIONS = True
