"""Every YAML shipped under configs/ loads against its schema, and every schema documents each field."""


import pytest

from seapt.resources import shipped
from seapt.config import SCHEMAS, load_config, schema_for, undocumented_fields

CONFIGS = shipped("configs")


def _shipped():
    for folder in SCHEMAS:
        base = CONFIGS if folder == "." else CONFIGS / folder
        for path in sorted(base.glob("*.yaml")):
            yield pytest.param(folder, path, id=str(path.relative_to(CONFIGS)))


@pytest.mark.parametrize("folder, path", list(_shipped()))
def test_shipped_yaml_validates(folder, path):
    load_config(schema_for(folder), path)


@pytest.mark.parametrize("folder", list(SCHEMAS))
def test_schema_fields_documented(folder):
    assert undocumented_fields(schema_for(folder)) == []


def test_every_shipped_yaml_has_a_schema():
    """No YAML under configs/ escapes validation (accelerate's own files excepted)."""
    covered = {p for _, p in (param.values for param in _shipped())}
    shipped = {p for p in CONFIGS.rglob("*.yaml") if "accelerate" not in p.parts}
    assert shipped - covered == set()
