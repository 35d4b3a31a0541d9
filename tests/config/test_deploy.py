"""Production readiness: Django's deployment checks pass with the production settings."""

import os
import secrets
import subprocess
import sys


def test_check_deploy_reports_no_warnings_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "earlyhelp.config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "earlyhelp.example.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    for name in ("DEBUG", "EARLYHELP_DEMO_MODE", "EARLYHELP_ALLOW_INSECURE_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "earlyhelp", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "earlyhelp.config.settings.production",
        "ALLOWED_HOSTS": "earlyhelp.example.gov.uk",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    }
    for name in ("SECRET_KEY", "DEBUG", "EARLYHELP_DEMO_MODE", "EARLYHELP_ALLOW_INSECURE_KEY"):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "earlyhelp", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr
