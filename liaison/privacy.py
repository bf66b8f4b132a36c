"""Personal data: who may see it in full, and how it is masked for everyone else.

The rule (docs/api.md, "Privacy"; DOMAIN.md, "Personal data"): a person's name, phone number
and other personal fields are shown in full to staff and leaders whose region contains the
person's region, and to the person themself (their own account); every other caller gets the
masked form. An app may widen "who" for its own records (suggestions/privacy.py: the deputies
who received a voter's opinion), never the masking: every serializer, page, book and export asks
its predicate once per object and passes the answer to `personal_data`, the one place that
decides what a name and a phone look like for that viewer.
"""

from dataclasses import dataclass

from liaison.scoping import in_scope

MASK = "*"


def mask_phone(phone: str | None) -> str:
    """`13812341234` → `138****1234`: a mobile number keeps its first three and last four.

    Shorter numbers keep less, so a masked value never gives most of a number away: 8 to 10
    characters keep two at each end (`12****78`), fewer keep only the first one.
    """
    if not phone:
        return ""
    phone = str(phone)
    if len(phone) >= 11:
        head, tail = 3, 4
    elif len(phone) >= 8:
        head, tail = 2, 2
    else:
        head, tail = 1, 0
    return phone[:head] + MASK * (len(phone) - head - tail) + phone[len(phone) - tail :]


def mask_name(name: str | None) -> str:
    """`张三丰` → `张**`, `张三` → `张*`: the family name stays, the given name is hidden."""
    if not name:
        return ""
    name = str(name)
    if len(name) == 1:
        return MASK
    return name[:1] + MASK * (len(name) - 1)


def may_see_personal_data(user, *, region_code: str | None, owner_id: int | None = None) -> bool:
    """Whether `user` may see the personal data of a person registered in `region_code`
    whose own account (if any) is `owner_id`.

    Staff and leaders see the people of their region's subtree (superusers everyone); the
    person sees themself. Everyone else, including other deputies and unit officers, sees
    the masked form.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if owner_id is not None and user.pk == owner_id:
        return True
    return in_scope(user, region_code)


@dataclass(frozen=True)
class PersonalData:
    """A person's name and phone as one viewer may see them."""

    name: str
    phone: str
    full: bool  # False: both are masked


def personal_data(name: str | None, phone: str | None, *, full: bool) -> PersonalData:
    """`name` and `phone` in full when the viewer `full`y may see them, else both masked."""
    if full:
        return PersonalData(name=name or "", phone=phone or "", full=True)
    return PersonalData(name=mask_name(name), phone=mask_phone(phone), full=False)
