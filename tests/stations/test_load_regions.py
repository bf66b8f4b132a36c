from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count

from stations.models import Region

pytestmark = pytest.mark.django_db

COUNTRY_DIR = settings.BASE_DIR.parent / "shared" / "data" / "regions"


def run(*args) -> str:
    out = StringIO()
    call_command("load_regions", *args, stdout=out)
    return out.getvalue()


def test_without_a_path_loads_the_shipped_changzhi_fixture():
    output = run()

    assert "乡级（township）：149" in output
    assert "县级（county）：12" in output
    assert "新增 163" in output
    assert "秒" in output
    assert Region.objects.subtree("1404").count() == 162


def test_second_run_reports_everything_unchanged():
    run()

    output = run()

    assert "新增 0，更新 0，未变 163" in output
    assert Region.objects.count() == 163


def test_bad_file_fails_the_command_with_the_line(tmp_path):
    (tmp_path / "provinces.csv").write_text('code,name\n1X,"山西省"\n', encoding="utf-8")

    with pytest.raises(CommandError, match="provinces.csv 第 2 行"):
        run(str(tmp_path))
    assert not Region.objects.exists()


def test_missing_folder_fails_the_command(tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        run(str(tmp_path / "nowhere"))


@pytest.mark.slow
@pytest.mark.skipif(
    not COUNTRY_DIR.is_dir(), reason="the national data set lives outside the repository"
)
def test_whole_country_loads_every_province_city_county_and_township():
    output = run(str(COUNTRY_DIR))

    counts = dict(Region.objects.order_by().values_list("level").annotate(n=Count("code")))
    assert counts == {"province": 31, "city": 342, "county": 2978, "township": 41352}
    assert "乡级（township）：41352" in output
    assert Region.objects.get(code="140403001").parent_id == "140403"
