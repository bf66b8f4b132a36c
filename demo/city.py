"""The demo city (示范数据): a city shaped like 长治市, built from the real regions.

`seed_demo()` builds, from the shipped 山西省/长治市 regions, what a city standing committee
runs: the city hub (总站), one liaison station (联络站) per township, about 391 village and
community points (联络点), a few deputies' homes (代表之家), specialised studios and an industry
station; 8,984 deputies of the five levels with their mandates, every one grouped into a station
(混合编组进站) with one station head each; professional groups; a year of reception days
(recorded before today, scheduled after it); handling units; and one login per role.

Everything comes from one `random.Random(seed)`, drawn in a fixed order, so the same seed,
scale and day give the same city. It spans the apps (the units are `suggestions` models): the
demo is the one place that knows all of them, and nothing imports it but commands.
"""

import calendar
import datetime
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    MembershipRole,
    Party,
    ProfessionalGroup,
    Reception,
    ReceptionMode,
    ReceptionStatus,
    StationMembership,
)
from liaison.errors import Conflict
from liaison.models import Role
from stations.models import (
    DemonstrationLevel,
    Region,
    RegionLevel,
    Station,
    StationClass,
    StationKind,
)
from stations.services import SHIPPED_REGIONS_DIR, regions_load
from suggestions.models import Unit, UnitKind

DEMO_PASSWORD = "demo12345"
DEMO_SEED = 1404
CITY_CODE = "1404"
COUNTY_CODE = "140403"  # 潞州区, the county the `county` account manages
HUB_NAME = "长治市人大代表联络总站"
RECEPTION_DAY = 15

# The city as published: 8,984 deputies and 391 points (DOMAIN.md). Persons by their highest
# level; the township deputies are the rest.
TOTAL_DEPUTIES = 8984
TOTAL_POINTS = 391
DEPUTIES_BY_LEVEL = {Level.NATIONAL: 8, Level.PROVINCIAL: 64, Level.CITY: 420, Level.COUNTY: 2600}
# Share of each level's deputies who also sit in the congress one or more levels down.
SECOND_MANDATE = {
    Level.NATIONAL: (Level.CITY, 0.5),
    Level.PROVINCIAL: (Level.CITY, 0.5),
    Level.CITY: (Level.COUNTY, 0.3),
    Level.COUNTY: (Level.TOWNSHIP, 0.12),
}
LEADING_OFFICIAL_SHARE = {
    Level.NATIONAL: 0.5,
    Level.PROVINCIAL: 0.4,
    Level.CITY: 0.2,
    Level.COUNTY: 0.08,
    Level.TOWNSHIP: 0.025,
}
LEVEL_ORDER = [Level.NATIONAL, Level.PROVINCIAL, Level.CITY, Level.COUNTY, Level.TOWNSHIP]

# --- names ----------------------------------------------------------------------------------
# Surnames with rough weights for southeast Shanxi (王李张刘 lead everywhere; 郭申牛秦 are
# common around 长治).
SURNAMES = {
    "王": 800,
    "李": 750,
    "张": 700,
    "刘": 520,
    "赵": 300,
    "郭": 280,
    "杨": 260,
    "陈": 200,
    "申": 120,
    "武": 140,
    "牛": 110,
    "秦": 100,
    "常": 90,
    "段": 90,
    "靳": 70,
    "闫": 120,
    "贾": 110,
    "郝": 100,
    "田": 100,
    "马": 110,
    "孙": 110,
    "吴": 90,
    "周": 90,
    "徐": 80,
    "胡": 70,
    "高": 110,
    "冯": 80,
    "韩": 90,
    "崔": 70,
    "宋": 80,
    "任": 90,
    "程": 60,
    "卫": 40,
    "原": 40,
    "史": 60,
    "侯": 60,
    "董": 60,
    "连": 30,
    "暴": 20,
    "栗": 30,
    "路": 40,
    "苗": 40,
    "魏": 60,
    "姚": 50,
    "薛": 50,
    "范": 60,
    "梁": 60,
    "白": 60,
    "席": 20,
    "裴": 30,
    "焦": 30,
    "吕": 50,
    "岳": 40,
    "郑": 60,
    "曹": 50,
    "许": 50,
    "邢": 40,
    "尹": 30,
    "石": 50,
    "霍": 40,
    "平": 20,
    "桑": 20,
    "鲍": 20,
    "司": 20,
    "茹": 10,
    "上官": 3,
    "欧阳": 3,
}
MALE_GIVEN = (
    "伟强军勇斌杰涛明超磊鹏辉刚平华建国峰林波宇浩俊文志海东亮新飞龙晓卫忠旭昊宏健锋毅力永成康"
    "瑞鑫泽晨阳振兴德福贵生保有春庆树森江山云鸿利民学光红胜立彬宁凯帅"
)
FEMALE_GIVEN = (
    "芳丽娟敏静艳玲霞燕红梅琳洁慧英萍娜婷雪颖倩媛佳丹瑶欣悦蕾琴芬翠兰秀凤荣莉晶璐怡春晓玉月"
    "华美霞珍爱彩云亚琼"
)
ETHNICITIES = {"汉族": 985, "回族": 9, "满族": 3, "蒙古族": 2, "壮族": 1}
MOBILE_PREFIXES = (
    "134",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "157",
    "158",
    "159",
    "182",
    "183",
    "187",
    "188",
    "130",
    "131",
    "132",
    "155",
    "156",
    "185",
    "186",
    "133",
    "153",
    "180",
    "189",
    "177",
    "199",
)

# Village and community names for the points.
PLACE_PREFIXES = "东西南北上下前后大小中新老高东西南北"
PLACE_ROOTS = "庄村堡沟坡河岭头掌峪寨营垴店关坪底湾岩泉"
COMMUNITY_WORDS = (
    "幸福",
    "和平",
    "建设",
    "光明",
    "太行",
    "英雄",
    "紫金",
    "长兴",
    "东风",
    "朝阳",
    "安居",
    "锦华",
    "滨河",
    "振兴",
    "新民",
    "康乐",
    "惠民",
    "华苑",
    "府后",
    "城北",
    "西关",
    "南关",
    "钟楼",
    "漳河",
    "金威",
    "丽景",
    "上党",
    "红星",
    "北董",
    "颐和",
)
COMMUNITY_SUFFIXES = ("", "", "", "苑", "园", "里")

# Congress terms: districts created in 2019 are in their second term; the older counties and
# the townships count further back.
COUNTY_TERMS = {
    "140403": 2,
    "140404": 2,
    "140405": 2,
    "140406": 2,
    "140423": 18,
    "140425": 17,
    "140426": 17,
    "140427": 18,
    "140428": 18,
    "140429": 17,
    "140430": 18,
    "140431": 17,
}
NATIONAL_CONGRESS = ("第十四届全国人民代表大会", datetime.date(2023, 3, 5))
PROVINCIAL_CONGRESS = ("山西省第十四届人民代表大会", datetime.date(2023, 1, 13))
CITY_CONGRESS = ("长治市第十五届人民代表大会", datetime.date(2021, 12, 28))

# --- work -----------------------------------------------------------------------------------
SOE_JOBS = (
    ("潞安化工集团王庄煤矿", ("综采队队长", "采煤工", "安全员", "机电工程师")),
    ("潞安化工集团常村煤矿", ("掘进队队长", "通风工", "技术员")),
    ("首钢长治钢铁有限公司", ("炼钢厂工人", "轧钢厂班长", "高级技师")),
    ("国网长治供电公司", ("配电运维班班长", "线路工", "高级工程师")),
    ("长治市公共交通有限公司", ("公交车驾驶员", "调度员")),
    ("山西潞宝集团", ("焦化厂技术员", "车间主任")),
    ("长治高新区科技企业孵化器", ("高级工程师", "研发部经理")),
)
COMPANY_BRANDS = (
    "太行",
    "上党",
    "漳河",
    "红星",
    "金晖",
    "长兴",
    "鑫源",
    "华宇",
    "晋东南",
    "沁州",
    "潞安",
    "黎都",
)
COMPANY_TRADES = (
    ("农业科技", "农业农村"),
    ("建材", "工业经济"),
    ("食品", "工业经济"),
    ("物流", "工业经济"),
    ("医药", "医疗卫生"),
    ("机械制造", "工业经济"),
    ("光电科技", "工业经济"),
    ("小米加工", "农业农村"),
    ("中药材种植", "农业农村"),
    ("建筑工程", "城乡建设"),
    ("文化旅游", "文化旅游"),
    ("环保科技", "生态环境"),
)
CITY_BUREAUS = (
    "长治市发展和改革委员会",
    "长治市教育局",
    "长治市财政局",
    "长治市民政局",
    "长治市农业农村局",
    "长治市卫生健康委员会",
    "长治市住房和城乡建设局",
    "长治市交通运输局",
    "长治市生态环境局",
    "长治市文化和旅游局",
    "长治市工业和信息化局",
    "长治市应急管理局",
)
COUNTY_BUREAUS = (
    "教育局",
    "财政局",
    "农业农村局",
    "卫生健康局",
    "住房和城乡建设局",
    "民政局",
    "交通运输局",
)
CITY_LEADER_POSTS = (
    ("中共长治市委员会", "常委"),
    ("长治市人民政府", "副市长"),
    ("长治市人大常委会", "副主任"),
    ("长治市中级人民法院", "院长"),
    ("长治市人民检察院", "检察长"),
    ("长治市政协", "副主席"),
)

# Fields of expertise and the professional group (专业代表小组) each one joins.
GROUPS = {
    "法律": "法制专业代表小组",
    "财政金融": "财政经济专业代表小组",
    "工业经济": "财政经济专业代表小组",
    "教育": "教育科学文化卫生专业代表小组",
    "医疗卫生": "教育科学文化卫生专业代表小组",
    "文化旅游": "教育科学文化卫生专业代表小组",
    "农业农村": "农业与农村专业代表小组",
    "城乡建设": "城乡建设与环境保护专业代表小组",
    "生态环境": "城乡建设与环境保护专业代表小组",
    "社会治理": "社会建设专业代表小组",
}
GROUP_DESCRIPTIONS = {
    "法制专业代表小组": "围绕法治政府建设、地方立法开展调研和执法检查。",
    "财政经济专业代表小组": "关注预算审查监督、营商环境和产业转型。",
    "教育科学文化卫生专业代表小组": "关注教育均衡、医疗卫生、文化惠民。",
    "农业与农村专业代表小组": "关注乡村振兴、农村饮水和农业产业化。",
    "城乡建设与环境保护专业代表小组": "关注老旧小区改造、城市管理和生态环境保护。",
    "社会建设专业代表小组": "关注养老服务、社会保障和基层治理。",
}

# --- receptions -----------------------------------------------------------------------------
TOPICS = (
    "老旧小区改造",
    "农村饮水安全",
    "道路修缮",
    "公交线路优化",
    "冬季供暖",
    "养老服务",
    "义务教育学位",
    "医保报销",
    "农村人居环境整治",
    "停车难",
    "垃圾分类",
    "农产品销售",
    "就业创业",
    "物业管理",
    "雨污管网改造",
    "背街小巷路灯",
    "农田灌溉",
    "电网改造",
    "社区医疗",
    "校园周边交通安全",
)
MODE_WEIGHTS = {
    ReceptionMode.STATION: 60,
    ReceptionMode.VISIT: 15,
    ReceptionMode.MOBILE: 10,
    ReceptionMode.ONLINE: 8,
    ReceptionMode.EVENING: 7,
}
POINT_MODE_WEIGHTS = {ReceptionMode.STATION: 40, ReceptionMode.VISIT: 35, ReceptionMode.EVENING: 25}
MODE_VISITORS = {
    ReceptionMode.STATION: (8, 40),
    ReceptionMode.VISIT: (3, 15),
    ReceptionMode.MOBILE: (15, 60),
    ReceptionMode.ONLINE: (5, 30),
    ReceptionMode.EVENING: (10, 30),
}
MODE_VERBS = {
    ReceptionMode.STATION: "进站接待选民",
    ReceptionMode.VISIT: "入户走访群众",
    ReceptionMode.MOBILE: "在集市设流动接待点",
    ReceptionMode.ONLINE: "通过线上平台接待选民",
    ReceptionMode.EVENING: "开展夜谈夜访",
}
MORNING = (datetime.time(9, 0), datetime.time(11, 30))
AFTERNOON = (datetime.time(14, 30), datetime.time(17, 0))
EVENING = (datetime.time(19, 0), datetime.time(21, 0))


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str
    region_code: str | None
    about: str
    is_superuser: bool = False


# The `deputy` account takes the name of the deputy it is linked to.
DEMO_ACCOUNTS = (
    DemoAccount(
        "admin", "系统管理员", Role.STAFF, None, "超级管理员 / superuser", is_superuser=True
    ),
    DemoAccount(
        "staff", "赵晓红", Role.STAFF, CITY_CODE, "市人大常委会代表工委工作人员 / city staff"
    ),
    DemoAccount(
        "county", "申建军", Role.STAFF, COUNTY_CODE, "潞州区人大常委会工作人员 / county staff"
    ),
    DemoAccount(
        "leader", "郭志强", Role.LEADER, CITY_CODE, "市人大常委会副主任（领衔督办） / leader"
    ),
    DemoAccount("deputy", "", Role.DEPUTY, None, "人大代表 / deputy"),
    DemoAccount(
        "officer",
        "牛海燕",
        Role.UNIT_OFFICER,
        CITY_CODE,
        "长治市住房和城乡建设局联络员 / unit officer",
    ),
)
OFFICER_UNIT = "长治市住房和城乡建设局"

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

# Deputies' homes (代表之家) and specialised studios (专业代表工作室) at county and city level.
DEMO_HOMES = (
    ("潞州区人大代表之家", "140403"),
    ("上党区人大代表之家", "140404"),
    ("襄垣县人大代表之家", "140423"),
    ("沁源县人大代表之家", "140431"),
)
DEMO_STUDIOS = (
    ("长治市法治专业代表工作室", "司法", "法律"),
    ("长治市生态环境专业代表工作室", "生态环境", "生态环境"),
)
INDUSTRY_STATION = ("长治市医疗卫生行业人大代表联络站", "医疗卫生", "医疗卫生")


class DemoConflict(Conflict):
    code = "demo_conflict"


def demo_exists() -> bool:
    """The demo is there when its city hub is."""
    return Station.objects.filter(kind=StationKind.HUB, region_id=CITY_CODE, name=HUB_NAME).exists()


@transaction.atomic
def seed_demo(
    *,
    scale: float = 1.0,
    seed: int = DEMO_SEED,
    today: datetime.date | None = None,
    if_empty: bool = False,
) -> dict:
    """生成示范数据: build the demo city once.

    Does nothing (returns {"seeded": False, "reason": …}) when the demo is already there, or,
    with `if_empty`, when there are any stations at all. `scale` shrinks or grows the number
    of stations, points and deputies (tests use a small city). Loads the shipped regions first
    when 长治市 is missing. Receptions run from a year before `today` to two months after it.
    """
    if if_empty and Station.objects.exists():
        return {"seeded": False, "reason": _("已有站点数据，未生成示范数据。")}
    if demo_exists():
        return {"seeded": False, "reason": _("示范数据已存在，未做改动。")}
    if scale <= 0:
        raise ValueError("scale must be positive")
    # `region__code__startswith`: a prefix match on the foreign key column itself, no join.
    if Station.objects.filter(region__code__startswith=CITY_CODE).exists():
        raise DemoConflict(_("长治市已有站点数据，不能在其上生成示范数据。"))
    if not Region.objects.filter(code__startswith=CITY_CODE, level=RegionLevel.TOWNSHIP).exists():
        regions_load(directory=SHIPPED_REGIONS_DIR)
    city = _DemoCity(rng=random.Random(seed), scale=scale, today=today or timezone.localdate())
    return city.build()


@dataclass
class _Person:
    deputy: Deputy
    levels: list[str]
    home: Region
    expertise: str
    stations: list[Station] = field(default_factory=list)


def _cn_number(n: int) -> str:
    """1..99 in Chinese numerals, as congress terms and districts are written."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")


def _kind_of_township(region: Region) -> str:
    """街道 (subdistrict), 镇 (town), 乡 (township) or a zone (开发区 and the like)."""
    if region.name.endswith("街道"):
        return "subdistrict"
    if region.name.endswith("镇"):
        return "town"
    if region.name.endswith("乡"):
        return "township"
    return "zone"


def _month_shift(day: datetime.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _spread(total: int, weights: list[float]) -> list[int]:
    """Split `total` in proportion to `weights`, by largest remainder (sums exactly)."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - counts[i]), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class _DemoCity:
    def __init__(self, *, rng: random.Random, scale: float, today: datetime.date):
        self.rng = rng
        self.scale = scale
        self.today = today
        self._surnames = list(SURNAMES)
        self._surname_weights = list(SURNAMES.values())
        self._ethnicities = list(ETHNICITIES)
        self._ethnicity_weights = list(ETHNICITIES.values())

    # -- small generators ------------------------------------------------------------------
    def pick(self, weighted: dict):
        return self.rng.choices(list(weighted), weights=list(weighted.values()))[0]

    def person_name(self, gender: str) -> str:
        surname = self.rng.choices(self._surnames, weights=self._surname_weights)[0]
        pool = FEMALE_GIVEN if gender == Gender.FEMALE else MALE_GIVEN
        if self.rng.random() < 0.25:
            return surname + self.rng.choice(pool)
        first = self.rng.choice(pool)
        second = first if self.rng.random() < 0.03 else self.rng.choice(pool.replace(first, ""))
        return surname + first + second

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def landline(self) -> str:
        return f"0355-{self.rng.randrange(2000000, 8000000)}"

    def village_name(self) -> str:
        if self.rng.random() < 0.35:
            surname = self.rng.choices(self._surnames[:40], weights=self._surname_weights[:40])[0]
            return surname + "家" + self.rng.choice("庄沟岭峪坡河")
        return self.rng.choice(PLACE_PREFIXES) + self.rng.choice(PLACE_ROOTS)

    def community_name(self) -> str:
        return self.rng.choice(COMMUNITY_WORDS) + self.rng.choice(COMMUNITY_SUFFIXES)

    def scaled(self, count: int, minimum: int = 0) -> int:
        return max(minimum, round(count * self.scale))

    # -- the build -------------------------------------------------------------------------
    def build(self) -> dict:
        self.load_regions()
        self.build_stations()
        self.build_deputies()
        self.build_memberships()
        self.build_groups()
        self.build_units_and_accounts()
        self.build_receptions()
        return self.summary()

    def load_regions(self):
        self.city = Region.objects.get(code=CITY_CODE)
        self.counties = {
            r.code: r
            for r in Region.objects.filter(parent_id=CITY_CODE, level=RegionLevel.COUNTY).order_by(
                "code"
            )
        }
        all_townships = list(
            Region.objects.filter(
                parent_id__in=list(self.counties), level=RegionLevel.TOWNSHIP
            ).order_by("code")
        )
        # A smaller city keeps an even spread of townships across the counties.
        wanted = min(len(all_townships), self.scaled(len(all_townships), minimum=2))
        self.townships = [all_townships[i * len(all_townships) // wanted] for i in range(wanted)]
        self.township_kind = {t.code: _kind_of_township(t) for t in self.townships}

    def station_flags(self, chance: float) -> dict:
        flags = {
            name: self.rng.random() < chance
            for name in (
                "has_venue",
                "has_sign",
                "has_rules",
                "has_display",
                "has_commitment",
                "has_publicity",
                "has_activities",
                "has_archive",
            )
        }
        flags["has_venue"] = flags["has_sign"] = True  # a station without a room or sign is not one
        return flags

    def build_stations(self):
        hours = "周一至周五 8:30-12:00，14:30-17:30"
        self.hub = Station.objects.create(
            name=HUB_NAME,
            kind=StationKind.HUB,
            region=self.city,
            address="长治市潞州区英雄中路市民服务中心一楼",
            phone=self.landline(),
            contact_person=self.person_name(Gender.FEMALE),
            opening_hours=hours,
            reception_day=RECEPTION_DAY,
            star_rating=5,
            station_class=StationClass.FIRST,
            demonstration_level=DemonstrationLevel.PROVINCIAL,
            **self.station_flags(1.0),
        )

        stations = []
        for township in self.townships:
            county = self.counties[township.parent_id]
            kind = self.township_kind[township.code]
            office = {"subdistrict": "街道办事处院内", "zone": "综合服务大厅"}.get(
                kind, "人民政府院内"
            )
            stations.append(
                Station(
                    name=f"{township.name}人大代表联络站",
                    kind=StationKind.STATION,
                    parent=self.hub,
                    region=township,
                    address=f"长治市{county.name}{township.name}{office}",
                    phone=self.landline(),
                    contact_person=self.person_name(self.pick({Gender.MALE: 6, Gender.FEMALE: 4})),
                    opening_hours=hours,
                    reception_day=RECEPTION_DAY,
                    star_rating=self.pick({0: 10, 3: 30, 4: 35, 5: 25}),
                    station_class=self.pick({StationClass.FIRST: 60, StationClass.SECOND: 40}),
                    demonstration_level=self.pick(
                        {
                            DemonstrationLevel.NONE: 70,
                            DemonstrationLevel.COUNTY: 15,
                            DemonstrationLevel.CITY: 10,
                            DemonstrationLevel.PROVINCIAL: 5,
                        }
                    ),
                    **self.station_flags(0.9),
                )
            )
        self.township_stations = Station.objects.bulk_create(stations)
        self.station_of_township = {s.region_id: s for s in self.township_stations}

        # Points: villages in towns and townships, communities in subdistricts and zones.
        weights = [
            {"town": 3.0, "township": 3.0, "subdistrict": 2.5, "zone": 0.5}[
                self.township_kind[t.code]
            ]
            for t in self.townships
        ]
        per_township = _spread(self.scaled(TOTAL_POINTS), weights)
        points = []
        for township, count in zip(self.townships, per_township, strict=True):
            rural = self.township_kind[township.code] in ("town", "township")
            used: set[str] = set()
            while len(used) < count:
                place = self.village_name() if rural else self.community_name()
                name = f"{place}村代表联络点" if rural else f"{place}社区代表联络点"
                if name in used:
                    continue
                used.add(name)
                points.append(
                    Station(
                        name=name,
                        kind=StationKind.POINT,
                        parent=self.station_of_township[township.code],
                        region=township,
                        address=f"{township.name}{place}{'村委会' if rural else '社区服务中心'}",
                        phone=self.mobile(),
                        contact_person=self.person_name(
                            self.pick({Gender.MALE: 6, Gender.FEMALE: 4})
                        ),
                        opening_hours="每月15日及每周三上午",
                        reception_day=RECEPTION_DAY,
                        star_rating=self.pick({0: 40, 1: 10, 2: 20, 3: 30}),
                        **self.station_flags(0.7),
                    )
                )
        self.points = Station.objects.bulk_create(points)

        others = []
        for name, code in DEMO_HOMES:
            others.append(
                Station(
                    name=name,
                    kind=StationKind.HOME,
                    parent=self.hub,
                    region=self.counties[code],
                    address=f"长治市{self.counties[code].name}人大常委会机关一楼",
                    phone=self.landline(),
                    contact_person=self.person_name(Gender.FEMALE),
                    opening_hours=hours,
                    reception_day=RECEPTION_DAY,
                    star_rating=4,
                    station_class=StationClass.FIRST,
                    demonstration_level=DemonstrationLevel.CITY,
                    **self.station_flags(1.0),
                )
            )
        for name, specialty, _expertise in (*DEMO_STUDIOS, INDUSTRY_STATION):
            is_industry = name == INDUSTRY_STATION[0]
            others.append(
                Station(
                    name=name,
                    kind=StationKind.STATION if is_industry else StationKind.STUDIO,
                    is_industry=is_industry,
                    specialty=specialty,
                    parent=self.hub,
                    region=self.city,
                    address="长治市潞州区"
                    + ("长治市人民医院门诊楼一层" if is_industry else "太行东街市人大常委会机关"),
                    phone=self.landline(),
                    contact_person=self.person_name(Gender.MALE),
                    opening_hours=hours,
                    reception_day=RECEPTION_DAY,
                    star_rating=4,
                    station_class=StationClass.FIRST,
                    **self.station_flags(1.0),
                )
            )
        self.special_stations = Station.objects.bulk_create(others)

    # -- deputies --------------------------------------------------------------------------
    def level_counts(self) -> dict[str, int]:
        counts = {level: self.scaled(n, minimum=1) for level, n in DEPUTIES_BY_LEVEL.items()}
        counts[Level.TOWNSHIP] = max(0, self.scaled(TOTAL_DEPUTIES) - sum(counts.values()))
        if not any(self.township_kind[t.code] in ("town", "township") for t in self.townships):
            # 街道 have no congress of their own: without a town there are no township deputies.
            counts[Level.COUNTY] += counts.pop(Level.TOWNSHIP)
        return counts

    def home_for(self, level: str) -> Region:
        kinds = self.township_kind
        if level == Level.TOWNSHIP:
            rural = [t for t in self.townships if kinds[t.code] in ("town", "township")]
            return self.rng.choice(rural)
        if level == Level.COUNTY:
            weights = {"subdistrict": 2.0, "town": 1.0, "township": 0.8, "zone": 0.6}
        else:
            weights = {"subdistrict": 3.0, "town": 1.0, "township": 1.0, "zone": 1.0}
        return self.rng.choices(
            self.townships, weights=[weights[kinds[t.code]] for t in self.townships]
        )[0]

    def job(self, level: str, home: Region, leading: bool) -> tuple[str, str, str]:
        """(occupation 职业, employer 工作单位及职务, expertise 专业特长) for one deputy."""
        rng = self.rng
        county = self.counties[home.parent_id].name
        kind = self.township_kind[home.code]
        head = {"subdistrict": "街道党工委", "zone": "党工委"}.get(kind, "党委")
        if leading:
            if level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY):
                organ, post = rng.choice(CITY_LEADER_POSTS)
                if rng.random() < 0.5:
                    organ, post = rng.choice(CITY_BUREAUS), rng.choice(("局长", "主任", "党组书记"))
                expertise = (
                    "法律" if "法院" in organ or "检察" in organ else rng.choice(list(GROUPS))
                )
                return "公务员", f"{organ}{post}", expertise
            if level == Level.COUNTY:
                county_head = "区长" if county.endswith("区") else "县长"
                posts = (
                    f"中共{county}委员会书记",
                    f"{county}人民政府{county_head}",
                    f"{county}人民政府副{county_head}",
                    f"{county}人大常委会主任",
                    f"{county}{rng.choice(COUNTY_BUREAUS)}局长",
                )
                return (
                    "公务员",
                    rng.choice(posts),
                    rng.choice(("社会治理", "财政金融", "城乡建设", "农业农村")),
                )
            chief = {
                "subdistrict": "办事处主任",
                "town": "镇长",
                "township": "乡长",
                "zone": "管委会主任",
            }[kind]
            post = rng.choice((f"{head}书记", chief, "人大主席"))
            return "公务员", f"{home.name}{post}", rng.choice(("社会治理", "农业农村"))

        rural = kind in ("town", "township")
        profiles = {
            "farmer": 40 if level == Level.TOWNSHIP else (12 if level == Level.COUNTY else 4),
            "village_head": 25 if level == Level.TOWNSHIP else (18 if level == Level.COUNTY else 3),
            "community": 0 if rural else (10 if level in (Level.TOWNSHIP, Level.COUNTY) else 2),
            "worker": 8 if level == Level.TOWNSHIP else 12,
            "teacher": 6 if level == Level.TOWNSHIP else 12,
            "doctor": 4 if level == Level.TOWNSHIP else 10,
            "business": 8 if level == Level.TOWNSHIP else 15,
            "self_employed": 6 if level == Level.TOWNSHIP else 3,
            "lawyer": 0 if level == Level.TOWNSHIP else 4,
            "official": 3 if level == Level.TOWNSHIP else 8,
            "artist": 0 if level == Level.TOWNSHIP else 2,
        }
        profile = self.pick(profiles)
        if profile == "farmer":
            village = self.village_name()
            what = rng.choice(("种植大户", "家庭农场主", "养殖户", "农民合作社理事长", "村民"))
            return "农民", f"{home.name}{village}村{what}", "农业农村"
        if profile == "village_head" or (profile == "community" and rural):
            village = self.village_name()
            return "村干部", f"{home.name}{village}村党支部书记、村委会主任", "农业农村"
        if profile == "community":
            return (
                "社区工作者",
                f"{home.name}{self.community_name()}社区党委书记、居委会主任",
                "社会治理",
            )
        if profile == "worker":
            company, posts = rng.choice(SOE_JOBS)
            return "工人", f"{company}{rng.choice(posts)}", "工业经济"
        if profile == "teacher":
            schools = [f"{county}第一中学", f"{county}实验小学", f"{home.name}中心学校"]
            if level != Level.TOWNSHIP:  # city institutions send deputies to higher congresses
                schools += ["长治市第二中学校", "长治学院", "长治医学院"]
            school = rng.choice(schools)
            post = (
                rng.choice(("教授", "副教授"))
                if school in ("长治学院", "长治医学院")
                else rng.choice(("教师", "校长", "副校长"))
            )
            return "教师", f"{school}{post}", "教育"
        if profile == "doctor":
            hospitals = [f"{county}人民医院", f"{home.name}卫生院"]
            if level != Level.TOWNSHIP:
                hospitals += ["长治市人民医院", "长治医学院附属和平医院", "长治市妇幼保健院"]
            hospital = rng.choice(hospitals)
            post = (
                "院长"
                if hospital.endswith("卫生院")
                else rng.choice(("主任医师", "副主任医师", "护士长"))
            )
            return "医生", f"{hospital}{post}", "医疗卫生"
        if profile == "business":
            trade, expertise = rng.choice(COMPANY_TRADES)
            return (
                "企业管理人员",
                f"山西{rng.choice(COMPANY_BRANDS)}{trade}有限公司"
                f"{rng.choice(('董事长', '总经理', '副总经理'))}",
                expertise,
            )
        if profile == "self_employed":
            shop = rng.choice(("超市", "农资店", "餐馆", "汽修部", "服装店"))
            return (
                "个体工商户",
                f"{home.name}{self.person_name(Gender.MALE)[:1]}记{shop}经营者",
                "社会治理",
            )
        if profile == "lawyer":
            return (
                "律师",
                f"山西{rng.choice(COMPANY_BRANDS)}律师事务所{rng.choice(('主任', '律师'))}",
                "法律",
            )
        if profile == "official":
            return (
                "公务员",
                f"{county}{rng.choice(COUNTY_BUREAUS)}{rng.choice(('科长', '副局长', '干部'))}",
                "社会治理",
            )
        return "文艺工作者", f"长治市上党梆子剧院{rng.choice(('演员', '团长'))}", "文化旅游"

    def party(self, level: str, leading: bool, birth_year: int) -> str:
        if leading:
            return self.pick({Party.CPC: 95, Party.CDL: 2, Party.CNDCA: 2, Party.NON_PARTY: 1})
        weights = {
            Party.CPC: 68 if level != Level.TOWNSHIP else 58,
            Party.MASSES: 22,
            Party.NON_PARTY: 4,
            Party.CPC_PROBATIONARY: 1,
            Party.CYL: 4 if birth_year >= 1992 else 0,
        }
        if level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY):
            weights.update(
                {
                    Party.CDL: 2,
                    Party.CNDCA: 2,
                    Party.CAPD: 1,
                    Party.CPWDP: 1,
                    Party.JS: 1,
                    Party.RCCK: 1,
                }
            )
        return self.pick(weights)

    def mandate(self, deputy: Deputy, level: str, home: Region) -> Mandate:
        county = self.counties[home.parent_id]
        if level == Level.NATIONAL:
            (congress, started), district = NATIONAL_CONGRESS, "山西省"
        elif level == Level.PROVINCIAL:
            (congress, started), district = PROVINCIAL_CONGRESS, "长治市"
        elif level == Level.CITY:
            (congress, started), district = CITY_CONGRESS, county.name
        elif level == Level.COUNTY:
            congress = (
                f"{county.name}第{_cn_number(COUNTY_TERMS.get(county.code, 17))}届人民代表大会"
            )
            started = self.county_opened[county.code]
            district = f"{home.name}第{_cn_number(self.rng.randint(1, 6))}选区"
        else:
            term = self.township_terms[home.code]
            congress = f"{home.name}第{_cn_number(term)}届人民代表大会"
            started = self.township_opened[home.code]
            district = f"第{_cn_number(self.rng.randint(1, 12))}选区"
        return Mandate(
            deputy=deputy, level=level, congress=congress, district=district, started_on=started
        )

    def build_deputies(self):
        rng = self.rng
        self.county_opened = {
            code: datetime.date(2021, 10, rng.randint(20, 30)) for code in self.counties
        }
        self.township_terms = {t.code: rng.choice((17, 18, 19)) for t in self.townships}
        self.township_opened = {
            t.code: datetime.date(2021, 10, rng.randint(8, 19)) for t in self.townships
        }

        self.people: list[_Person] = []
        for level, count in self.level_counts().items():
            for _n in range(count):
                home = self.home_for(level)
                levels = [level]
                lower = SECOND_MANDATE.get(level)
                if lower and rng.random() < lower[1]:
                    if lower[0] != Level.TOWNSHIP or self.township_kind[home.code] in (
                        "town",
                        "township",
                    ):
                        levels.append(lower[0])
                leading = rng.random() < LEADING_OFFICIAL_SHARE[level]
                female_share = 0.15 if leading else (0.28 if level == Level.TOWNSHIP else 0.33)
                gender = Gender.FEMALE if rng.random() < female_share else Gender.MALE
                born_from, born_to = (1966, 1984) if leading else (1962, 1997)
                birth = datetime.date(rng.randint(born_from, born_to), 1, 1) + datetime.timedelta(
                    days=rng.randrange(365)
                )
                occupation, employer, expertise = self.job(level, home, leading)
                # Registered where the most local of their mandates is (who manages them).
                lowest = levels[-1]
                region = {Level.TOWNSHIP: home, Level.COUNTY: self.counties[home.parent_id]}.get(
                    lowest, self.city
                )
                deputy = Deputy(
                    name=self.person_name(gender),
                    gender=gender,
                    ethnicity=rng.choices(self._ethnicities, weights=self._ethnicity_weights)[0],
                    party=self.party(level, leading, birth.year),
                    birth_date=birth,
                    occupation=occupation,
                    employer=employer,
                    phone=self.mobile(),
                    expertise=expertise,
                    is_leading_official=leading,
                    region=region,
                )
                self.people.append(
                    _Person(deputy=deputy, levels=levels, home=home, expertise=expertise)
                )
        Deputy.objects.bulk_create([p.deputy for p in self.people], batch_size=1000)

        mandates = [
            self.mandate(p.deputy, level, p.home) for p in self.people for level in p.levels
        ]
        Mandate.objects.bulk_create(mandates, batch_size=2000)
        self.mandate_count = len(mandates)

    # -- 编组进站 -----------------------------------------------------------------------------
    def build_memberships(self):
        rng = self.rng
        members: dict[int, list[_Person]] = defaultdict(list)  # station id -> people, in join order
        by_township: dict[str, list[_Person]] = defaultdict(list)
        for person in self.people:
            by_township[person.home.code].append(person)
            members[self.station_of_township[person.home.code].pk].append(person)

        # Points: a few deputies who live in the township, township deputies first.
        points_by_township: dict[str, list[Station]] = defaultdict(list)
        for point in self.points:
            points_by_township[point.region_id].append(point)
        for code, points in points_by_township.items():
            local = by_township.get(code, [])
            grassroots = [
                p for p in local if p.levels[-1] in (Level.TOWNSHIP, Level.COUNTY)
            ] or local
            for point in points:
                if grassroots:
                    members[point.pk].extend(
                        rng.sample(grassroots, min(len(grassroots), rng.randint(3, 6)))
                    )

        # The hub: the deputies to the national and provincial congresses and the city's
        # leading officials; homes: county deputies of the county; studios and the industry
        # station: deputies of that field.
        high = [
            p
            for p in self.people
            if p.levels[0] in (Level.NATIONAL, Level.PROVINCIAL)
            or (p.levels[0] == Level.CITY and p.deputy.is_leading_official)
        ]
        members[self.hub.pk].extend(high)
        expertise_of = {
            name: expertise for name, _specialty, expertise in (*DEMO_STUDIOS, INDUSTRY_STATION)
        }
        for station in self.special_stations:
            if station.kind == StationKind.HOME:
                pool = [
                    p
                    for p in self.people
                    if Level.COUNTY in p.levels and p.home.parent_id == station.region_id
                ]
                wanted = 15
            else:
                pool = [
                    p
                    for p in self.people
                    if p.expertise == expertise_of[station.name]
                    and p.levels[0] in (Level.CITY, Level.COUNTY)
                ]
                wanted = 20
            members[station.pk].extend(rng.sample(pool, min(len(pool), wanted)))

        stations = [self.hub, *self.township_stations, *self.points, *self.special_stations]
        joined = datetime.date(2022, 1, 1)
        heads: set[int] = set()
        rows = []
        for station in stations:
            people = members.get(station.pk, [])
            if not people:  # a small demo city may leave a station empty: give it someone
                people = [rng.choice(self.people)]
            # Head: a county or higher deputy if the station has one, not already heading another.
            candidates = [p for p in people if id(p) not in heads]
            senior = [p for p in candidates if p.levels[0] in (Level.CITY, Level.COUNTY)]
            head = (senior or candidates or people)[0]
            heads.add(id(head))
            seen: set[int] = set()
            for person in people:
                if id(person) in seen:
                    continue
                seen.add(id(person))
                role = MembershipRole.HEAD if person is head else MembershipRole.MEMBER
                if (
                    role == MembershipRole.MEMBER
                    and station.kind != StationKind.POINT
                    and len(seen) == 2
                ):
                    role = MembershipRole.DEPUTY_HEAD
                rows.append(
                    StationMembership(
                        deputy=person.deputy,
                        station=station,
                        role=role,
                        joined_on=joined + datetime.timedelta(days=rng.randrange(60)),
                    )
                )
                person.stations.append(station)
        StationMembership.objects.bulk_create(rows, batch_size=2000)
        self.membership_count = len(rows)
        self.members_of: dict[int, list[_Person]] = defaultdict(list)
        for row in rows:
            self.members_of[row.station.pk].append(row.deputy)

    def build_groups(self):
        groups = {}
        for name in dict.fromkeys(GROUPS.values()):
            groups[name] = ProfessionalGroup(
                name=name, region=self.city, description=GROUP_DESCRIPTIONS[name]
            )
        ProfessionalGroup.objects.bulk_create(groups.values())
        through = Deputy.groups.through
        rows = [
            through(deputy_id=p.deputy.pk, professionalgroup_id=groups[GROUPS[p.expertise]].pk)
            for p in self.people
            if p.levels[0] in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY)
            and p.expertise in GROUPS
        ]
        through.objects.bulk_create(rows, batch_size=2000)
        self.group_count = len(groups)

    # -- units and accounts ----------------------------------------------------------------
    def build_units_and_accounts(self):
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

        User = get_user_model()
        existing = set(
            User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list(
                "username", flat=True
            )
        )
        password = make_password(DEMO_PASSWORD)  # hashed once: the slow part of creating a user
        deputy_person = self.demo_deputy()
        self.accounts: dict[str, object] = {}
        for account in DEMO_ACCOUNTS:
            if account.username in existing:
                continue
            region_code = (
                deputy_person.deputy.region_id
                if account.role == Role.DEPUTY
                else account.region_code
            )
            user = User.objects.create(
                username=account.username,
                password=password,
                name=deputy_person.deputy.name if account.role == Role.DEPUTY else account.name,
                role=account.role,
                region_id=region_code,
                phone=deputy_person.deputy.phone if account.role == Role.DEPUTY else self.mobile(),
                is_staff=account.is_superuser or account.role in (Role.STAFF, Role.LEADER),
                is_superuser=account.is_superuser,
            )
            self.accounts[account.username] = user
            if account.role == Role.DEPUTY:
                deputy_person.deputy.user = user
                deputy_person.deputy.save(update_fields=["user"])
            elif account.role == Role.UNIT_OFFICER:
                Unit.objects.get(region_id=CITY_CODE, name=OFFICER_UNIT).officers.add(user)

    def demo_deputy(self) -> _Person:
        """The deputy behind the `deputy` login: a county deputy of 潞州区 grouped into a station."""
        for person in self.people:
            if (
                person.levels[0] == Level.COUNTY
                and person.home.parent_id == COUNTY_CODE
                and person.stations
            ):
                return person
        return self.people[0]

    # -- 接待选民 -----------------------------------------------------------------------------
    def build_receptions(self):
        rng = self.rng
        months = [_month_shift(self.today, offset) for offset in range(-11, 3)]
        staff = self.accounts.get("staff")
        county_staff = self.accounts.get("county")
        plans: list[tuple[Reception, list[Deputy]]] = []

        def add(station: Station, day: datetime.date, mode: str, deputies: list[Deputy]):
            if day < self.today:
                status = (
                    ReceptionStatus.CANCELLED if rng.random() < 0.02 else ReceptionStatus.RECORDED
                )
            else:
                status = ReceptionStatus.SCHEDULED
            starts, ends = (
                EVENING if mode == ReceptionMode.EVENING else rng.choice((MORNING, AFTERNOON))
            )
            topics = rng.sample(TOPICS, 2)
            reception = Reception(
                station=station,
                date=day,
                starts_at=starts,
                ends_at=ends,
                mode=mode,
                status=status,
                topic=f"代表接待日：{topics[0]}"
                if station.kind != StationKind.POINT
                else f"走访：{topics[0]}",
            )
            if status == ReceptionStatus.RECORDED:
                low, high = MODE_VISITORS[mode]
                visitors = rng.randint(low, high)
                issues = max(1, visitors // rng.randint(2, 5))
                answered = rng.randint(0, issues)
                reception.visitor_count = visitors
                reception.summary = (
                    f"{len(deputies)}名代表{MODE_VERBS[mode]}，接待群众{visitors}人次，收集意见建议{issues}条，"
                    f"主要涉及{topics[0]}、{topics[1]}等方面。现场答复{answered}条，"
                    f"其余{issues - answered}条已登记并转交有关部门办理。"
                )
                in_county = station.region_id.startswith(COUNTY_CODE)
                reception.recorded_by = (county_staff if in_county else None) or staff
            elif status == ReceptionStatus.CANCELLED:
                reason = rng.choice(("因暴雨天气", "因防汛值守", "因代表集中视察"))
                reception.summary = f"{reason}取消，顺延至下月接待日。"
            plans.append((reception, deputies))

        regular = [self.hub, *self.township_stations, *self.special_stations]
        for year, month in months:
            for station in regular:
                day = datetime.date(
                    year, month, min(station.reception_day, calendar.monthrange(year, month)[1])
                )
                pool = self.members_of.get(station.pk, [])
                present = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
                add(station, day, self.pick(MODE_WEIGHTS), present)
            for point in self.points:
                if rng.random() < 0.3:
                    day = datetime.date(
                        year, month, rng.randint(1, calendar.monthrange(year, month)[1])
                    )
                    pool = self.members_of.get(point.pk, [])
                    present = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
                    add(point, day, self.pick(POINT_MODE_WEIGHTS), present)

        # Leading officials receive voters at one of their stations about once a quarter; a few
        # miss a quarter, which is what the quarterly check is there to show.
        by_station_quarter: dict[tuple[int, int, int], list[int]] = defaultdict(list)
        for index, (reception, _present) in enumerate(plans):
            if reception.status != ReceptionStatus.CANCELLED:
                quarter = (reception.date.year, (reception.date.month - 1) // 3)
                by_station_quarter[(reception.station.pk, *quarter)].append(index)
        quarters = list(dict.fromkeys((y, (m - 1) // 3) for y, m in months))
        for person in self.people:
            if not person.deputy.is_leading_official:
                continue
            for quarter in quarters:
                if rng.random() >= 0.88:
                    continue
                choices = [
                    i for s in person.stations for i in by_station_quarter.get((s.pk, *quarter), [])
                ]
                if choices:
                    present = plans[rng.choice(choices)][1]
                    if person.deputy not in present:
                        present.append(person.deputy)

        receptions = Reception.objects.bulk_create([r for r, _present in plans], batch_size=1000)
        through = Reception.deputies.through
        links = [
            through(reception_id=reception.pk, deputy_id=deputy.pk)
            for reception, (_r, present) in zip(receptions, plans, strict=True)
            for deputy in dict.fromkeys(present)
        ]
        through.objects.bulk_create(links, batch_size=2000)
        self.reception_plans = plans
        self.reception_link_count = len(links)

    def summary(self) -> dict:
        statuses: dict[str, int] = defaultdict(int)
        for reception, _present in self.reception_plans:
            statuses[reception.status] += 1
        mandates: dict[str, int] = defaultdict(int)
        for person in self.people:
            for level in person.levels:
                mandates[level] += 1
        return {
            "seeded": True,
            "stations": {
                StationKind.HUB.value: 1,
                StationKind.STATION.value: len(self.township_stations)
                + sum(1 for s in self.special_stations if s.kind == StationKind.STATION),
                StationKind.POINT.value: len(self.points),
                StationKind.HOME.value: sum(
                    1 for s in self.special_stations if s.kind == StationKind.HOME
                ),
                StationKind.STUDIO.value: sum(
                    1 for s in self.special_stations if s.kind == StationKind.STUDIO
                ),
            },
            "deputies": len(self.people),
            "mandates": {level.value: mandates[level] for level in LEVEL_ORDER},
            "leading_officials": sum(1 for p in self.people if p.deputy.is_leading_official),
            "memberships": self.membership_count,
            "groups": self.group_count,
            "receptions": {status.value: statuses[status] for status in ReceptionStatus},
            "reception_deputies": self.reception_link_count,
            "units": self.unit_count,
            "accounts": list(self.accounts),
        }
