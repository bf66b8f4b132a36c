"""The demo city's handling units (承办单位): city departments, the courts, a county's and a
township's."""

from demo.names import CityDraws
from demo.network import CITY_CODE
from stations.models import Region
from suggestions.models import Unit, UnitKind

# Handling units (承办单位): (name, kind, region code).
DEMO_UNITS = (
    ("长治市发展和改革委员会", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市教育局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市公安局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市民政局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市财政局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市人力资源和社会保障局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市自然资源和规划局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市生态环境局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市住房和城乡建设局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市城市管理局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市交通运输局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市水利局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市农业农村局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市卫生健康委员会", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市市场监督管理局", UnitKind.DEPARTMENT, CITY_CODE),
    ("长治市监察委员会", UnitKind.SUPERVISORY, CITY_CODE),
    ("长治市中级人民法院", UnitKind.COURT, CITY_CODE),
    ("长治市人民检察院", UnitKind.PROCURATORATE, CITY_CODE),
    ("国网长治供电公司", UnitKind.OTHER, CITY_CODE),
    ("潞州区人民政府", UnitKind.DEPARTMENT, "140403"),
    ("潞州区住房和城乡建设局", UnitKind.DEPARTMENT, "140403"),
    ("潞州区人民政府英雄中路街道办事处", UnitKind.TOWNSHIP, "140403004"),
    ("上党区苏店镇人民政府", UnitKind.TOWNSHIP, "140404101"),
)


class UnitBuilder(CityDraws):
    """The handling units, where their regions are loaded."""

    def build_units(self):
        regions = {
            r.code: r for r in Region.objects.filter(code__in={code for *_x, code in DEMO_UNITS})
        }
        units = [
            Unit(
                name=name,
                kind=kind,
                region=regions[code],
                phone=self.landline(),
                email=f"unit{index:02d}@changzhi.example",
            )
            for index, (name, kind, code) in enumerate(DEMO_UNITS, start=1)
            if code in regions
        ]
        Unit.objects.bulk_create(units, ignore_conflicts=True)
        self.unit_count = len(units)
