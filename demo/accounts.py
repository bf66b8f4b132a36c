"""The demo logins: one account per role, all with the demo password; the `deputy` login is
linked to a county deputy of 潞州区 and the `officer` login to a city department."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from demo.deputies import Person
from demo.names import CityDraws
from demo.network import CITY_CODE, COUNTY_CODE
from deputies.models import Level
from liaison.auth import DEMO_PASSWORD
from liaison.models import Role
from suggestions.models import Unit


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


class AccountBuilder(CityDraws):
    """One login per role, left alone where the username exists (after the deputies)."""

    def build_accounts(self):
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

    def demo_deputy(self) -> Person:
        """The deputy behind the `deputy` login: a county deputy of 潞州区 grouped into a station."""
        for person in self.people:
            if (
                person.levels[0] == Level.COUNTY
                and person.home.parent_id == COUNTY_CODE
                and person.stations
            ):
                return person
        return self.people[0]
