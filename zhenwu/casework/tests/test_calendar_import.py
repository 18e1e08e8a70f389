import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from zhenwu.casework.models import CalendarDay, CalendarYear
from zhenwu.casework.workcal import calendar_current

GOOD = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,holiday,春节\n2027-02-07,workday,春节\n"


@pytest.mark.django_db
def test_it_imports_a_new_year_and_confirms_it(tmp_path, capsys):
    path = tmp_path / "2027.csv"
    path.write_text(GOOD, encoding="utf-8")
    assert calendar_current().add_workdays(dt.date(2026, 12, 31), 1).confirmed is False
    call_command("calendar", "import", str(path))
    assert "已导入 2027 年共 3 天" in capsys.readouterr().out
    assert CalendarYear.objects.get(year=2027).source == "import"
    assert calendar_current().add_workdays(dt.date(2026, 12, 31), 1) == (dt.date(2027, 1, 4), True)
    assert calendar_current().add(dt.date(2027, 2, 5), 1) == dt.date(2027, 2, 7)


@pytest.mark.django_db
def test_it_reports_bad_rows_by_number_exits_2_and_writes_nothing(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-13-01,holiday,x\n"
                    "2027-02-07,weekend,x\n2027-01-01,workday,dup\n", encoding="utf-8")
    with pytest.raises(CommandError) as err, translation.override("en"):
        call_command("calendar", "import", str(path))
    assert err.value.returncode == 2
    text = str(err.value)
    assert "row 3" in text and "row 4" in text and "row 5" in text and "row 2" not in text
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()


@pytest.mark.django_db
def test_it_rejects_a_file_without_the_header(tmp_path):
    path = tmp_path / "nohead.csv"
    path.write_text("2027-01-01,holiday,元旦\n", encoding="utf-8")
    with pytest.raises(CommandError) as err:
        call_command("calendar", "import", str(path))
    assert err.value.returncode == 2
