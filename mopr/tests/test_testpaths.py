"""Every app's tests run: an app whose tests/ is not in pytest.ini's testpaths was silently skipped by
`make test` and CI (staffing, inbox and background were, until issue 18)."""

import configparser
from pathlib import Path

from django.conf import settings


def test_every_app_with_tests_is_in_testpaths():
    base = Path(settings.BASE_DIR)
    config = configparser.ConfigParser()
    config.read(base / "pytest.ini")
    paths = set(config["pytest"]["testpaths"].split())
    apps = {init.parent.parent.name for init in base.glob("*/tests/__init__.py")}
    assert apps and apps <= paths, sorted(apps - paths)
