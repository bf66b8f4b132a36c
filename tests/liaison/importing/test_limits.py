"""Bounded imports (issue #12, finding 9): a file past a limit is refused before it is parsed,
with a Chinese message on the import page, and nothing is written.

The xlsx files here are built by hand (zipfile + sheet XML) to be what an attacker sends: a
sheet that unpacks to megabytes from a few kilobytes, a sheet that claims 16,384 columns, a
sheet whose next row is numbered in the billions.
"""

import io
import types
import zipfile

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import Deputy
from liaison.importing.formats import BoundedCSV, BoundedXLSX
from liaison.importing.limits import ImportRefused
from liaison.models import Role
from tests.factories import StationFactory, UserFactory

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dimension}<sheetData>'
)
TAIL = "</sheetData></worksheet>"


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def workbook_with_sheet(sheet_xml: str) -> bytes:
    """A real xlsx (made by openpyxl) whose first sheet is replaced by `sheet_xml`, packed
    as tightly as deflate packs it."""
    source = io.BytesIO()
    openpyxl.Workbook().save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source.getvalue())) as original, zipfile.ZipFile(
        out, "w", zipfile.ZIP_DEFLATED, compresslevel=9
    ) as packed:
        for member in original.infolist():
            data = sheet_xml.encode() if member.filename == SHEET else original.read(member.filename)
            packed.writestr(member.filename, data)
    return out.getvalue()


def zip_bomb(rows: int = 20_000) -> bytes:
    """The attack of the finding: a header and 20,000 identical rows, 2.5 MB of XML in ~10 KB."""
    row = "<row>" + "".join(cell("", "重复的数据") for _ in range(4)).replace(' r=""', "") + "</row>"
    header = '<row r="1">' + cell("A1", "姓名") + cell("B1", "性别") + cell("C1", "手机号") + cell("D1", "所属区划") + "</row>"
    return workbook_with_sheet(HEAD.format(dimension="") + header + row * rows + TAIL)


@pytest.fixture
def openpyxl_must_not_load(monkeypatch):
    """Makes any attempt to open a workbook fail the test: proves a refusal came first."""

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl.load_workbook was called on a file that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


# --- the formats ------------------------------------------------------------------------


def test_zip_bomb_is_refused_from_the_zip_directory_before_openpyxl_opens_it(openpyxl_must_not_load):
    bomb = zip_bomb()
    assert len(bomb) < 32 * 1024  # tiny on the wire ...
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.getinfo(SHEET).file_size > 2_000_000  # ... megabytes unpacked
    with pytest.raises(ImportRefused) as refused:
        BoundedXLSX().create_dataset(bomb)
    assert refused.value.code == "compression_ratio"
    assert "压缩比异常" in refused.value.messages[0]


def test_xlsx_unpacking_past_the_total_limit_is_refused_before_openpyxl_opens_it(settings, openpyxl_must_not_load):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_UNCOMPRESSED_BYTES": 100_000}
    data = workbook_with_sheet(HEAD.format(dimension="") + "".join(
        f'<row r="{i}">{cell(f"A{i}", f"第{i}行的内容{i * 7919}")}</row>' for i in range(1, 5000)) + TAIL)
    with pytest.raises(ImportRefused) as refused:
        BoundedXLSX().create_dataset(data)
    assert refused.value.code == "too_large_unpacked"


def test_file_over_the_size_limit_is_refused_before_it_is_parsed(settings, openpyxl_must_not_load):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_BYTES": 1000}
    with pytest.raises(ImportRefused) as refused:
        BoundedXLSX().create_dataset(b"PK" + b"\0" * 2000)
    assert refused.value.code == "too_large"
    with pytest.raises(ImportRefused):
        BoundedCSV(encoding="utf-8").create_dataset("姓名\n" + "张三\n" * 500)


def test_a_sheet_past_the_row_limit_is_refused_while_reading(settings):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_ROWS": 3}
    rows = "".join(f'<row r="{i}">{cell(f"A{i}", f"张{i}")}</row>' for i in range(2, 6))  # 4 data rows
    data = workbook_with_sheet(HEAD.format(dimension="") + f'<row r="1">{cell("A1", "姓名")}</row>' + rows + TAIL)
    with pytest.raises(ImportRefused) as refused:
        BoundedXLSX().create_dataset(data)
    assert refused.value.code == "too_many_rows"
    assert "超过 3 行" in refused.value.messages[0]


def test_rows_at_the_limit_pass_and_blank_lines_keep_their_place_but_a_blank_tail_is_dropped(settings):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_ROWS": 3}
    body = (
        f'<row r="1">{cell("A1", "姓名")}{cell("B1", "性别")}</row>'
        f'<row r="2">{cell("A2", "张一")}</row>'
        f'<row r="4">{cell("A4", "张三")}{cell("B4", "男")}</row>'  # line 3 is blank
        '<row r="6"><c r="A6" s="0"/></row>'  # a formatted, empty tail past the limit
    )
    dataset = BoundedXLSX().create_dataset(workbook_with_sheet(HEAD.format(dimension="") + body + TAIL))
    assert dataset.headers == ["姓名", "性别"]
    assert [list(row) for row in dataset] == [["张一", None], [None, None], ["张三", "男"]]


def test_a_row_numbered_in_the_billions_is_refused_not_read_up_to(settings):
    """openpyxl fills the gap before a row with empty rows: without a bound, one tiny file
    keeps a worker busy for ever."""
    body = f'<row r="1">{cell("A1", "姓名")}</row><row r="2000000000">{cell("A2000000000", "张三")}</row>'
    with pytest.raises(ImportRefused) as refused:
        BoundedXLSX().create_dataset(workbook_with_sheet(HEAD.format(dimension="") + body + TAIL))
    assert refused.value.code == "too_many_rows"


def test_a_sheet_claiming_16384_columns_is_read_at_the_width_of_its_header():
    """openpyxl pads every row to the declared dimension: 10,000 rows × 16,384 cells."""
    body = f'<row r="1">{cell("A1", "姓名")}</row>' + "".join(
        f'<row r="{i}">{cell(f"A{i}", "张")}</row>' for i in range(2, 12)
    )
    data = workbook_with_sheet(HEAD.format(dimension='<dimension ref="A1:XFD11"/>') + body + TAIL)
    dataset = BoundedXLSX().create_dataset(data)
    assert dataset.width == 1 and len(dataset) == 10


def test_a_header_past_the_column_limit_is_refused():
    body = f'<row r="1">{cell("A1", "姓名")}{cell("XFD1", "多余")}</row>'
    with pytest.raises(ImportRefused) as refused:
        BoundedXLSX().create_dataset(workbook_with_sheet(HEAD.format(dimension="") + body + TAIL))
    assert refused.value.code == "too_many_columns"


def test_csv_past_the_row_limit_is_refused(settings):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_ROWS": 3}
    with pytest.raises(ImportRefused):
        BoundedCSV(encoding="utf-8").create_dataset("姓名\n张一\n张二\n张三\n张四\n")
    assert len(BoundedCSV(encoding="utf-8").create_dataset("姓名\n张一\n张二\n张三\n")) == 3


def test_the_changzhi_roster_of_8984_deputies_is_within_the_default_limits():
    """The real city's size, in the shape bench_import writes (inline strings, 8 MB unpacked)."""
    from bench.roster import roster_dataset

    townships = [types.SimpleNamespace(code=f"140403{i:03d}000", name=f"第{i}镇") for i in range(200)]
    stations = {t.code: types.SimpleNamespace(name=f"{t.name}人大代表联络站") for t in townships}
    workbook = roster_dataset(townships, stations, 8984).export("xlsx")
    dataset = BoundedXLSX().create_dataset(workbook)
    assert len(dataset) == 8984 and dataset.headers[0] == "姓名"


# --- the admin's import page ------------------------------------------------------------


@pytest.fixture
def staff(changzhi):
    return UserFactory(username="luzhou_staff", role=Role.STAFF, region=changzhi["county"])


def upload(client, name: str, content: bytes, fmt: int = 0):
    return client.post(
        reverse("admin:deputies_deputy_import"),
        {"import_file": SimpleUploadedFile(name, content), "format": str(fmt), "resource": "0"},
    )


def roster_xlsx(changzhi, station, count: int) -> bytes:
    dataset = tablib.Dataset(headers=["姓名", "性别", "手机号", "所属区划", "代表层级", "届次", "任期开始", "编组站点"])
    for i in range(count):
        dataset.append([f"赵{i}", "男", f"139000000{i:02d}", changzhi["township"].code, "县",
                        "潞州区第十届人民代表大会", "2021-10-01", station.name])
    return dataset.export("xlsx")


def test_admin_refuses_the_zip_bomb_on_the_import_page_and_writes_nothing(client, staff, openpyxl_must_not_load):
    client.force_login(staff)
    response = upload(client, "roster.xlsx", zip_bomb())
    page = response.content.decode()
    assert response.status_code == 200
    assert "压缩比异常" in page and "process_import" not in page
    assert Deputy.objects.count() == 0


def test_admin_refuses_an_oversized_upload_before_reading_it(client, staff, settings, openpyxl_must_not_load):
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_BYTES": 1024}
    client.force_login(staff)
    response = upload(client, "roster.xlsx", b"PK" + b"\0" * 4096)
    page = response.content.decode()
    assert "超过了导入上限 1.0\xa0KB" in page and "process_import" not in page
    assert Deputy.objects.count() == 0


def test_admin_refuses_too_many_rows_and_writes_nothing(client, staff, changzhi, settings):
    station = StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_ROWS": 2}
    client.force_login(staff)
    page = upload(client, "roster.xlsx", roster_xlsx(changzhi, station, 3)).content.decode()
    assert "超过 2 行数据" in page and "process_import" not in page
    assert Deputy.objects.count() == 0


def test_admin_confirmation_rechecks_the_limits_and_writes_nothing(client, staff, changzhi, settings):
    """The confirmation reads the stored file again; a file past the limits then (here: the
    limit lowered in between) is refused there too, with a message, not a 500."""
    station = StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])
    client.force_login(staff)
    preview = upload(client, "roster.xlsx", roster_xlsx(changzhi, station, 3))
    confirm = preview.context["confirm_form"]
    settings.LIAISON = {**settings.LIAISON, "IMPORT_MAX_ROWS": 2}
    done = client.post(reverse("admin:deputies_deputy_process_import"), confirm.initial, follow=True)
    messages = [str(m) for m in done.context["messages"]]
    assert any("导入未执行" in m and "超过 2 行数据" in m for m in messages)
    assert Deputy.objects.count() == 0


def test_admin_roster_import_within_the_limits_still_works_and_the_page_states_them(client, staff, changzhi):
    station = StationFactory(name="太东街道人大代表联络站", region=changzhi["township"])
    client.force_login(staff)
    assert "不超过 10000 行数据" in client.get(reverse("admin:deputies_deputy_import")).content.decode()
    preview = upload(client, "roster.xlsx", roster_xlsx(changzhi, station, 3))
    done = client.post(reverse("admin:deputies_deputy_process_import"), preview.context["confirm_form"].initial)
    assert done.status_code == 302
    assert Deputy.objects.count() == 3
