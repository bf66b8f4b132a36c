"""The demo city's deputies: how many at each level, their mandates (代表职务) in real-looking
congresses, their grouping into stations (编组进站) and the professional groups."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from demo.network import DEMO_STUDIOS, INDUSTRY_STATION, JUDICIAL_STATION
from demo.occupations import GROUP_DESCRIPTIONS, GROUPS, OccupationDraws
from deputies.models import (
    Deputy,
    Gender,
    Level,
    Mandate,
    MembershipRole,
    ProfessionalGroup,
    StationMembership,
)
from stations.models import Region, Station, StationKind

# The city as published: 8,984 deputies (DOMAIN.md). Persons by their highest level; the
# township deputies are the rest.
TOTAL_DEPUTIES = 8984
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


@dataclass
class Person:
    """A deputy being built, with what the later steps need to know of them."""

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


class DeputyBuilder(OccupationDraws):
    """Deputies and mandates, then memberships and groups (after the network)."""

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

        self.people: list[Person] = []
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
                    Person(deputy=deputy, levels=levels, home=home, expertise=expertise)
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
        members: dict[int, list[Person]] = defaultdict(list)  # station id -> people, in join order
        by_township: dict[str, list[Person]] = defaultdict(list)
        for person in self.people:
            by_township[person.home.code].append(person)
            members[self.station_of_township[person.home.code].pk].append(person)

        # Points: a few deputies who live in the township, township deputies first.
        points_by_township: dict[str, list[Station]] = defaultdict(list)
        for point in self.points:
            points_by_township[point.region_id].append(point)
        for code, points in points_by_township.items():
            # 黎城's judicial points stand on the county: its deputies who know the law.
            local = by_township.get(code) or [
                p for p in self.people if p.home.parent_id == code and p.expertise == "法律"
            ] or [p for p in self.people if p.home.parent_id == code]
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
        expertise_of[JUDICIAL_STATION] = "法律"
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
        self.members_of: dict[int, list[Person]] = defaultdict(list)
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
