"""The demo city's network of stations: the hub (总站), a station per township, the points
(联络点) under them, the deputies' homes, the specialised studios and the industry station."""

from demo.names import CityDraws
from deputies.models import Gender
from stations.models import (
    EIGHT_HAVES,
    DemonstrationLevel,
    Region,
    RegionLevel,
    Station,
    StationClass,
    StationKind,
)

CITY_CODE = "1404"
COUNTY_CODE = "140403"  # 潞州区, the county the `county` account manages
HUB_NAME = "长治市人大代表联络总站"
RECEPTION_DAY = 15
# The city as published: 391 points (DOMAIN.md).
TOTAL_POINTS = 391

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
# 黎城县's judicial station (政法系统人大代表联络站) and its four points in the county's courts,
# procuratorate, police and justice bureau: part of the city's 391 points.
JUDICIAL_COUNTY = "140426"
JUDICIAL_STATION = "黎城县政法系统人大代表联络站"
JUDICIAL_POINTS = (
    ("黎城县人民法院代表联络点", "黎城县人民法院诉讼服务中心"),
    ("黎城县人民检察院代表联络点", "黎城县人民检察院检察服务大厅"),
    ("黎城县公安局代表联络点", "黎城县公安局户政服务大厅"),
    ("黎城县司法局代表联络点", "黎城县公共法律服务中心"),
)


def _kind_of_township(region: Region) -> str:
    """街道 (subdistrict), 镇 (town), 乡 (township) or a zone (开发区 and the like)."""
    if region.name.endswith("街道"):
        return "subdistrict"
    if region.name.endswith("镇"):
        return "town"
    if region.name.endswith("乡"):
        return "township"
    return "zone"


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


class NetworkBuilder(CityDraws):
    """The regions the city stands on, then its stations and points."""

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
        flags = {name: self.rng.random() < chance for name, _label in EIGHT_HAVES}
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
        judicial = JUDICIAL_COUNTY in self.counties
        township_points = self.scaled(TOTAL_POINTS) - (len(JUDICIAL_POINTS) if judicial else 0)
        per_township = _spread(max(township_points, 0), weights)
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
        if judicial:
            self.build_judicial_station()

    def build_judicial_station(self):
        county = self.counties[JUDICIAL_COUNTY]
        station = Station.objects.create(
            name=JUDICIAL_STATION, kind=StationKind.STATION, is_industry=True, specialty="司法",
            parent=self.hub, region=county, address="长治市黎城县黎侯镇人民法院院内",
            phone=self.landline(), contact_person=self.person_name(Gender.MALE),
            opening_hours="周一至周五 8:30-12:00，14:30-17:30", reception_day=RECEPTION_DAY,
            star_rating=5, station_class=StationClass.FIRST, demonstration_level=DemonstrationLevel.CITY,
            **self.station_flags(1.0),
        )
        self.special_stations.append(station)
        points = Station.objects.bulk_create(
            Station(
                name=name, kind=StationKind.POINT, parent=station, region=county, address=address,
                phone=self.landline(), contact_person=self.person_name(self.pick({Gender.MALE: 6, Gender.FEMALE: 4})),
                opening_hours="每月15日", reception_day=RECEPTION_DAY, star_rating=3, **self.station_flags(0.9),
            )
            for name, address in JUDICIAL_POINTS
        )
        self.points.extend(points)
