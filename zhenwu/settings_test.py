"""Settings of the test suite: the production settings plus the opt-outs a test run needs, named here.

Test runs serve no real users: the development SECRET_KEY is fine, and SMS go to the in-memory fake
gateway (zhenwu.casework.sms.FAKE_GATEWAY) so tests can read the codes. Set in the environment, so
processes the tests start (``python -m zhenwu …``, Celery workers) inherit the same choices.
A test that wants the real production behaviour starts a process with DJANGO_SETTINGS_MODULE=zhenwu.settings.
"""

import os

os.environ.setdefault("ZHENWU_ALLOW_DEV_SECRET_KEY", "1")
os.environ.setdefault("ZHENWU_ALLOW_INSECURE_SMS", "1")
os.environ.setdefault("ZHENWU_SMS_BACKEND", "fake")
# Tests read a code from the fake gateway the moment the request returns: deliver inline, inside it.
# zhenwu/services/tests/test_notify_after_response.py turns the production behaviour back on and checks it.
os.environ.setdefault("ZHENWU_NOTIFY_AFTER_RESPONSE", "0")

from zhenwu.settings import *  # noqa: E402,F403
