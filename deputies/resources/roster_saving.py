"""Saving a roster in bulk: the deputies of a batch in one statement, then their mandates,
station groups and professional groups brought to what the rows say in a handful more."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from deputies.models import Deputy, Mandate, StationMembership
from liaison.importing.cells import chunked


@dataclass
class Snapshot:
    """A deputy's relations as stored, to compare a row against and to diff on save."""

    mandates: dict = field(default_factory=dict)  # (level, congress) -> Mandate
    memberships: dict = field(default_factory=dict)  # station_id -> StationMembership
    groups: dict = field(default_factory=dict)  # group_id -> ProfessionalGroup

    def mandate_values(self) -> dict:
        return {k: (m.district, m.started_on, m.ended_on) for k, m in self.mandates.items()}

    def membership_roles(self) -> dict:
        return {k: m.role for k, m in self.memberships.items()}


class RosterSaving:
    """The saving half of `DeputyResource`: rows read by the resource, written in bulk."""

    def before_save_instance(self, instance, row, **kwargs):
        if instance.pk is not None:
            instance.updated_at = timezone.now()  # bulk_update skips auto_now

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.create_instances:
            return
        try:
            if using_transactions or not dry_run:
                Deputy.objects.bulk_create(self.create_instances, batch_size=self._meta.batch_size)
                self.write_relations(self.create_instances)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        if not self.update_instances:
            return
        try:
            if using_transactions or not dry_run:
                fields_ = [f for f in self.plain_fields] + ["updated_at"]
                Deputy.objects.bulk_update(self.update_instances, fields_, batch_size=500)
                self.write_relations(self.update_instances)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.update_instances.clear()

    def write_relations(self, deputies) -> None:
        """Bring each deputy's mandates, memberships and groups to what its row says, in a
        handful of bulk statements for the whole batch."""
        new_mandates, changed_mandates, gone_mandates = [], [], []
        new_members, changed_members, gone_members = [], [], []
        Link = Deputy.groups.through
        new_links, gone_links = [], []
        for deputy in deputies:
            snapshot = self._snapshots.get(deputy.pk, Snapshot())
            if deputy._mandates is not None:
                for key, mandate in snapshot.mandates.items():
                    if key not in deputy._mandates:
                        gone_mandates.append(mandate.pk)
                for (level, congress), (district, start, end) in deputy._mandates.items():
                    mandate = snapshot.mandates.get((level, congress))
                    if mandate is None:
                        new_mandates.append(
                            Mandate(deputy_id=deputy.pk, level=level, congress=congress, district=district,
                                    started_on=start, ended_on=end)
                        )
                    elif (mandate.district, mandate.started_on, mandate.ended_on) != (district, start, end):
                        mandate.district, mandate.started_on, mandate.ended_on = district, start, end
                        changed_mandates.append(mandate)
            if deputy._memberships is not None:
                for station_id, membership in snapshot.memberships.items():
                    if station_id not in deputy._memberships:
                        gone_members.append(membership.pk)
                for station_id, role in deputy._memberships.items():
                    membership = snapshot.memberships.get(station_id)
                    if membership is None:
                        new_members.append(StationMembership(deputy_id=deputy.pk, station_id=station_id, role=role))
                    elif membership.role != role:
                        membership.role = role
                        changed_members.append(membership)
            if deputy._groups is not None:
                stored = set(snapshot.groups)
                gone_links.extend((deputy.pk, g) for g in stored - deputy._groups)
                new_links.extend(Link(deputy_id=deputy.pk, professionalgroup_id=g) for g in deputy._groups - stored)
        for part in chunked(gone_mandates):
            Mandate.objects.filter(pk__in=part).delete()
        for part in chunked(gone_members):
            StationMembership.objects.filter(pk__in=part).delete()
        by_deputy = defaultdict(list)
        for deputy_id, group_id in gone_links:
            by_deputy[deputy_id].append(group_id)
        for deputy_id, group_ids in by_deputy.items():
            Link.objects.filter(deputy_id=deputy_id, professionalgroup_id__in=group_ids).delete()
        Mandate.objects.bulk_create(new_mandates, batch_size=1000)
        Mandate.objects.bulk_update(changed_mandates, ["district", "started_on", "ended_on"], batch_size=500)
        StationMembership.objects.bulk_create(new_members, batch_size=1000)
        StationMembership.objects.bulk_update(changed_members, ["role"], batch_size=500)
        Link.objects.bulk_create(new_links, batch_size=1000)

