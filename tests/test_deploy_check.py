"""Production settings from the environment alone: `zhenwu check --deploy` is clean, and unsafe defaults
refuse to start (each process started as an operator would, with DJANGO_SETTINGS_MODULE=zhenwu.settings)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PRODUCTION = {
    "SECRET_KEY": "kV3p9-production-like-secret-key-for-the-deploy-check-0123456789abcdef",
    "ALLOWED_HOSTS": "zhenwu.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://zhenwu.example.gov.cn",
    "ZHENWU_HTTPS": "1",
    "ZHENWU_TRUSTED_PROXIES": "127.0.0.1",
    "ZHENWU_SMS_BACKEND": "http",
    "ZHENWU_SMS_GATEWAY_URL": "https://sms-adapter.example.gov.cn/send",
    "ZHENWU_SMS_GATEWAY_KEY": "gateway-shared-secret",
}


def zhenwu(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    # A clean operator's environment: none of the test run's opt-outs (nor DJANGO_ALLOW_ASYNC_UNSAFE,
    # which the browser tests set in this process).
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ZHENWU_", "SECRET_KEY", "DEBUG", "DJANGO_"))}
    full = {**base, "DJANGO_SETTINGS_MODULE": "zhenwu.settings", "ZHENWU_DATA_DIR": str(tmp_path), **env}
    return subprocess.run([sys.executable, "-m", "zhenwu", *args], env=full, capture_output=True, text=True,
                          timeout=120)


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    out = zhenwu(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert out.returncode == 0, out.stderr + out.stdout
    assert "System check identified no issues (0 silenced)." in out.stdout


def test_it_refuses_to_start_without_a_secret_key(tmp_path):
    out = zhenwu(tmp_path, "check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert out.returncode != 0 and "SECRET_KEY is missing or too weak" in out.stderr


def test_it_refuses_the_development_key_even_when_given(tmp_path):
    dev = "zhenwu-insecure-development-key-set-SECRET_KEY-in-production"
    out = zhenwu(tmp_path, "check", **{**PRODUCTION, "SECRET_KEY": dev})
    assert out.returncode != 0 and "SECRET_KEY" in out.stderr


@pytest.mark.parametrize("backend", ["console", "log", "fake"])
def test_it_refuses_sms_backends_that_show_codes(tmp_path, backend):
    out = zhenwu(tmp_path, "check", **{**PRODUCTION, "ZHENWU_SMS_BACKEND": backend})
    assert out.returncode != 0 and "ZHENWU_ALLOW_INSECURE_SMS" in out.stderr


def test_the_demo_opts_out_visibly_and_check_deploy_says_so(tmp_path):
    demo = {"ZHENWU_ALLOW_DEV_SECRET_KEY": "1", "ZHENWU_ALLOW_INSECURE_SMS": "1", "ZHENWU_SMS_BACKEND": "console"}
    assert zhenwu(tmp_path, "check", **demo).returncode == 0
    deploy = zhenwu(tmp_path, "check", "--deploy", **demo)
    assert deploy.returncode != 0
    assert "zhenwu.E001" in deploy.stderr and "zhenwu.E002" in deploy.stderr


DOCS = """
from django.test import Client
r = Client().get("/api/v1/docs")
page = r.content.decode()
print(r.status_code, "cdn" in page or "https://" in page, "/static/ninja/swagger-ui-bundle.js" in page)
"""


def test_the_api_docs_when_switched_on_come_from_local_files(tmp_path):
    out = zhenwu(tmp_path, "shell", "-c", DOCS, **{**PRODUCTION, "ZHENWU_API_DOCS": "1", "ZHENWU_HTTPS": "0",
                                                  "ALLOWED_HOSTS": "testserver"})
    assert out.stdout.strip().splitlines()[-1].split() == ["200", "False", "True"], out.stderr
