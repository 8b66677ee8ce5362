"""The province report's settings, read from the environment, each checked."""

from __future__ import annotations

import pytest

from countyhub.platform.config import PROVINCE_RETRY, Settings
from countyhub.platform.errors import BadSetting
from tests.platform.reports.province import SECRET

URL = "https://province.example/api/reports"


def test_defaults_send_nothing_and_retry_for_days():
    """No URL: nothing is sent; the default schedule spans more than 3 days."""
    settings = Settings.from_env({})
    assert settings.province_url is None and settings.province_secret is None
    assert settings.province_retry == PROVINCE_RETRY
    assert sum(PROVINCE_RETRY) > 3 * 86400
    assert settings.report_auto is False


def test_all_given():
    settings = Settings.from_env(
        {
            "COUNTYHUB_PROVINCE_URL": URL,
            "COUNTYHUB_PROVINCE_SECRET": SECRET,
            "COUNTYHUB_PROVINCE_RETRY_SECONDS": "30, 90,600.5",
            "COUNTYHUB_REPORT_AUTO": "1",
        }
    )
    assert settings.province_url == URL
    assert settings.province_secret == SECRET
    assert settings.province_retry == (30.0, 90.0, 600.5)
    assert settings.report_auto is True
    assert SECRET not in repr(settings)
    assert settings.province_key is not None and len(settings.province_key) == 24


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"COUNTYHUB_PROVINCE_URL": "ftp://p.example/x"}, "http:// or https://"),
        ({"COUNTYHUB_PROVINCE_URL": "province.example"}, "http:// or https://"),
        ({"COUNTYHUB_PROVINCE_URL": "http://"}, "http:// or https://"),
        ({"COUNTYHUB_PROVINCE_URL": "http://p.example:99999/"}, "http:// or https"),
        ({"COUNTYHUB_PROVINCE_URL": URL}, "needs COUNTYHUB_PROVINCE_SECRET"),
        ({"COUNTYHUB_PROVINCE_SECRET": "s3cret"}, "SECRET must be whsec_"),
        ({"COUNTYHUB_PROVINCE_SECRET": "whsec_!!"}, "whsec_ is not base64"),
        ({"COUNTYHUB_PROVINCE_RETRY_SECONDS": "60,,300"}, "separated by commas"),
        ({"COUNTYHUB_PROVINCE_RETRY_SECONDS": "60,-1"}, "positive number, not '-1'"),
        ({"COUNTYHUB_PROVINCE_RETRY_SECONDS": "60,nan"}, "positive number"),
        ({"COUNTYHUB_PROVINCE_RETRY_SECONDS": "1h"}, "positive number"),
        ({"COUNTYHUB_REPORT_AUTO": "yes"}, "must be 0 or 1"),
    ],
)
def test_a_bad_value_names_its_variable_and_why(env: dict[str, str], message: str):
    with pytest.raises(BadSetting, match=message):
        Settings.from_env(env)
