import json

import pytest
from django.core.management import CommandError, call_command

from zhenwu.areas.models import Area
from zhenwu.areas.tests.helpers import collection, feature, new_village_features
from zhenwu.testing import TOWN, square


def write(tmp_path, data, name="in.geojson"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_import_then_export_to_a_file(town, tmp_path, capsys):
    call_command("areas", "import", write(tmp_path, new_village_features()))
    assert "3" in capsys.readouterr().out
    out = tmp_path / "out.geojson"
    call_command("areas", "export", "--under", "321181102203", "--output", str(out))
    codes = [f["properties"]["code"] for f in json.loads(out.read_text())["features"]]
    assert codes == ["321181102203", "321181102203001", "321181102203001001"]


@pytest.mark.django_db
def test_a_bad_feature_exits_2_naming_it_and_writes_nothing(town, tmp_path):
    bad = collection(feature("321181102204", "远村", "village", TOWN, square(120.0, 31.0, 120.1, 31.1)))
    with pytest.raises(CommandError) as err:
        call_command("areas", "import", write(tmp_path, bad))
    assert err.value.returncode == 2 and "features[0].geometry" in str(err.value)
    assert not Area.objects.filter(code="321181102204").exists()


@pytest.mark.django_db
def test_malformed_json_and_missing_files_exit_2(tmp_path):
    for path in (write(tmp_path, "{not json"), str(tmp_path / "missing.geojson")):
        with pytest.raises(CommandError) as err:
            call_command("areas", "import", path)
        assert err.value.returncode == 2


@pytest.mark.django_db
def test_export_of_an_unknown_code_exits_2():
    with pytest.raises(CommandError) as err:
        call_command("areas", "export", "--under", "999999")
    assert err.value.returncode == 2 and "under" in str(err.value)
