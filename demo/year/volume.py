"""The bulk of the year: the voters' opinions brought to the stations, day by day.

Whatever the special cases (cases.py, session.py) leave of the year's figures — 7,144 collected
and 5,880 fed back at scale 1 — is made here. Each opinion is drawn (the recorded reception day
it was raised at, which gives its station and day; category, issue, voter, receiving deputy)
and given a path (paths.py) that fits its age: the oldest are
answered and fed back, the newest still being handled or just in. The first opinion of each
path, handling office and category goes through the services; the others are copies of it
(clone.py), the rows the services would have written.
"""

from __future__ import annotations

from deputies.models import Gender, Reception, ReceptionStatus
from suggestions.calendar import WorkCalendar
from suggestions.models import FeedbackChannel, Rating
from suggestions.stats.staging import cohort

from .clone import Copier, Copy, Template
from .paths import PATHS, Opinion, run_path

# Among the fed-back, and among the rest by age: which paths and how often.
FED_BACK_MIX = {"on_spot_fed_back": 55, "answered_fed_back": 45}
OPEN_MIX = {"on_spot_closed": 30, "declined": 12, "replied": 28, "handling": 25, "submitted": 5}
RESULTS = {"A": 68, "B": 17, "C": 8, "D": 7}
RATINGS = {Rating.SATISFIED: 80, Rating.BASICALLY_SATISFIED: 20}
CHANNELS = {FeedbackChannel.PHONE: 50, FeedbackChannel.IN_PERSON: 25, FeedbackChannel.SMS: 15,
            FeedbackChannel.LETTER: 10}


def _path_for(city, fed_back: bool, age: int) -> str:
    mix = FED_BACK_MIX if fed_back else OPEN_MIX
    fitting = {p: w for p, w in mix.items() if PATHS[p][1] < age}
    if not fitting:
        fitting = {p: 1 for p, (fed, days) in PATHS.items() if fed == fed_back and days < age} or {"submitted": 1}
    return city.pick(fitting)


def cohort_counts(year) -> dict:
    """Collected and fed back so far in the demo year, as the statistics count them."""
    # A deputy's suggestion converted from an opinion (转为闭会建议) is not collected again.
    made = cohort(region=year.city.city.code, start=year.start, end=year.today).filter(converted_from__isnull=True)
    return {"collected": made.count(), "fed_back": made.filter(fed_back_at__isnull=False).count()}


def build_volume(year) -> None:
    city = year.city
    so_far = cohort_counts(year)
    total = year.targets["collected"] - so_far["collected"]
    fed = year.targets["fed_back"] - so_far["fed_back"]
    if total <= 0:
        return
    # Every opinion was raised at one of the year's recorded reception days, at its station.
    receptions = list(
        Reception.objects.filter(status=ReceptionStatus.RECORDED, date__gte=year.start, date__lt=year.today)
        .select_related("station__region").order_by("date", "id")
    )
    if not receptions:
        return
    raised = sorted((city.rng.choice(receptions) for _i in range(total)), key=lambda r: (r.date, r.pk))
    templates: dict[tuple, Template] = {}
    copier = Copier(WorkCalendar())
    made_by_services = copied = fed_made = 0
    for index, reception in enumerate(raised):
        day, station = reception.date, reception.station
        fed_back = index < fed
        path = _path_for(city, fed_back, (year.today - day).days)
        category = city.rng.choice(year.categories)
        title, text = city.rng.choice(year.category_issues[category])
        gender = city.pick({Gender.MALE: 5, Gender.FEMALE: 5})
        opinion = Opinion(
            day=day, title=title, content=f"{station.region.name}群众反映：{text}",
            region=station.region, station=station, category=category, unit=year.unit_for(category, station.region_id),
            deputy=year.deputy_at(station), submitter_name=city.person_name(gender),
            submitter_phone=city.mobile(), reception=reception,
        )
        fed_made += PATHS[path][0]
        office = year.staff_for(station.region_id).pk
        key = (path, office, category.pk if path in ("answered_fed_back", "replied", "handling") else None)
        if key not in templates:
            opinion.result = city.pick(RESULTS)
            opinion.rating = city.pick(RATINGS)
            opinion.channel = city.pick(CHANNELS)
            templates[key] = Template.read(run_path(year, path, opinion))
            made_by_services += 1
            continue
        copier.add(templates[key], Copy(
            day=day, title=opinion.title, content=opinion.content, region_id=station.region_id,
            station_id=station.pk, category_id=category.pk, submitter_name=opinion.submitter_name,
            submitter_phone=opinion.submitter_phone,
            deputy_id=opinion.deputy.pk if opinion.deputy is not None else None, reception_id=reception.pk,
        ))
        copied += 1
        if len(copier.pending) >= 2000:
            copier.flush()
    copier.flush()
    year.counts.update(cohort_counts(year))
    year.counts["volume_by_services"] = made_by_services
    year.counts["volume_copied"] = copied
