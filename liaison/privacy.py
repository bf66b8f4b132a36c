"""Personal data: who may see it in full, and how it is masked for everyone else.

The rule (docs/api.md, "Privacy"): a person's phone number and other personal fields are
shown in full to staff and leaders whose region contains the person's region, and to the
person themself (their own account); every other caller gets the masked form. Serializers
ask `may_see_personal_data` once per object and mask with the functions below.
"""

from liaison.scoping import in_scope

MASK = "*"


def mask_phone(phone: str | None) -> str:
    """`13812341234` → `138****1234`: the first three and the last four characters stay.

    Shorter numbers keep less: under seven characters only the first one is left, so a
    masked value never gives more than half of the number away.
    """
    if not phone:
        return ""
    phone = str(phone)
    if len(phone) >= 8:
        return phone[:3] + MASK * (len(phone) - 7) + phone[-4:]
    return phone[:1] + MASK * (len(phone) - 1)


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
