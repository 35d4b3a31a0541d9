"""Case recording for the seeded episodes (issue 12, point 7): contacts and case notes with the
children seen, significant events, restricted notes, addenda, management oversight, alerts about
risks to workers, and documents with real files in the documents storage.

Works from the episodes already written (read back in chunks), with its own random generator, so
the parts seeded before it are the same with or without it. The volumes, per episode, are in
docs/performance.md ("What the seed records").
"""

import hashlib
import random
import struct
import zlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import connection
from django.utils import timezone

from earlyhelp.accounts.models import Role, User
from earlyhelp.alerts.models import Alert, AlertKind
from earlyhelp.documents.models import Document, DocumentCategory
from earlyhelp.documents.services import documents_storage
from earlyhelp.episodes.due import oversight_due_after
from earlyhelp.episodes.models import Episode, EpisodeChild
from earlyhelp.people.models import FamilyMember
from earlyhelp.recording.models import (
    Addendum,
    CaseNote,
    ContactKind,
    NoteChild,
    OversightKind,
    OversightNote,
    SignificantEventCategory,
)

from .bulk import bulk_insert, new_row
from .episodes import ADULT_ROLES

CHUNK = 2000
LOOKUP_CHUNK = 500  # SQLite's limit on query parameters
# A contact every 10 to 24 days while the episode is open (about twice a month), at most this many.
CONTACT_GAP_DAYS = (10, 24)
MOST_NOTES = 30
SIGNIFICANT_SHARE = 0.05
RESTRICTED_SHARE = 0.02
ADDENDUM_SHARE = 0.04
# The newest note of an open episode is still a draft this often.
DRAFT_SHARE = 0.1
# Oversight every four weeks (EARLYHELP_OVERSIGHT_WEEKS), a week either way; some open episodes' is late.
OVERSIGHT_GAP_DAYS = (21, 35)
OVERSIGHT_LATE_SHARE = 0.15
ALERT_SHARE = 0.03
ALERT_ENDED_SHARE = 0.25
# Documents: a signed consent form, an agency's report, a piece of the child's own work.
DOCUMENT_SHARES = {DocumentCategory.CONSENT: 0.6, DocumentCategory.REPORT: 0.35, DocumentCategory.CHILDS_WORK: 0.1}

KIND_WEIGHTS = {
    ContactKind.HOME_VISIT: 30, ContactKind.PHONE_CALL: 20, ContactKind.SCHOOL_VISIT: 10,
    ContactKind.DIRECT_WORK: 12, ContactKind.TAF_UPDATE: 10, ContactKind.TEXT_OR_EMAIL: 8,
    ContactKind.OFFICE_VISIT: 4, ContactKind.VIDEO_CALL: 3, ContactKind.OTHER: 3,
}
# Contacts where children can be seen: each child of the episode has a row saying whether they were.
IN_PERSON = {ContactKind.HOME_VISIT, ContactKind.SCHOOL_VISIT, ContactKind.DIRECT_WORK, ContactKind.OFFICE_VISIT,
             ContactKind.VIDEO_CALL}

WHAT_HAPPENED = {
    ContactKind.HOME_VISIT: ("Home visit as agreed in the plan. {adult} was in and the house was warm and tidy. "
                             "We went through the plan's actions one by one.",
                             "Visit to the family home. {adult} said the week had been hard; the bills letter has "
                             "been opened and a payment plan agreed with the energy company."),
    ContactKind.PHONE_CALL: ("Phone call with {adult} to check how the new morning routine is going.",
                             "{adult} rang to say the appointment with the GP has been moved to next week."),
    ContactKind.SCHOOL_VISIT: ("Met {child} at school with the designated safeguarding lead. Attendance is up "
                               "this half term.",),
    ContactKind.DIRECT_WORK: ("Direct work with {child}: the three houses exercise (worries, good things, "
                              "dreams).", "Worked with {child} on feelings cards and a calm-down plan."),
    ContactKind.TAF_UPDATE: ("Update to the Team Around the Family: school reports attendance at 91% and "
                             "health visiting has seen the baby.",),
    ContactKind.TEXT_OR_EMAIL: ("Texted {adult} a reminder of Thursday's meeting; {adult} replied to confirm.",),
    ContactKind.OFFICE_VISIT: ("{adult} came to the family hub to fill in the housing application together.",),
    ContactKind.VIDEO_CALL: ("Video call with {adult} and {child} as {adult} is unwell this week.",),
    ContactKind.OTHER: ("Attended the housing panel on the family's behalf.",),
}
CHILDS_WORDS = ('"I like it when mum walks me to school."', '"I get worried when they shout."',
                '"School is better now I sit with my friend."', '"I want my own bed."', "")
ANALYSIS = ("Progress against the plan is steady; the routine is holding.",
            "The family engaged well. The worry about the arguments at home remains and is for the next review.",
            "Things are harder this month; support needs to stay at its current level.")
NEXT_STEPS = ("Next visit in two weeks.", "Ring school on Monday about the attendance meeting.",
              "Raise at the next Team Around the Family meeting.")
SIGNIFICANT_WORDS = {
    SignificantEventCategory.DOMESTIC_ABUSE: "{adult} disclosed that their partner pushed them during an argument "
                                             "last weekend; {child} was in the next room.",
    SignificantEventCategory.MISSING: "{child} did not come home after school and was found by police at 23:00.",
    SignificantEventCategory.EXCLUSION: "{child} has been given a three-day fixed-term exclusion.",
    SignificantEventCategory.HOUSING: "The family has been served a section 21 notice by the landlord.",
    SignificantEventCategory.POLICE: "Police attended the home after a neighbour's call; no arrests.",
    SignificantEventCategory.HOUSEHOLD: "{adult}'s new partner has moved into the home.",
}
ADDENDA = ("Correction: the visit was on the Tuesday, not the Wednesday.",
           "Added after speaking to the school: they confirm what {adult} said.",
           "The GP appointment mentioned here has now taken place.")
OVERSIGHT_DECISIONS = ("Plan is appropriate to the needs. Continue; review at the next supervision.",
                       "Case discussed in supervision: chase the housing application and record the child's views.",
                       "Progress is slow: arrange a Team Around the Family meeting within two weeks.")
OVERSIGHT_ACTIONS = ("Worker to update the plan's actions.", "Invite the school nurse to the next meeting.", "")
ALERTS = {
    AlertKind.VIOLENCE: "{adult}'s partner has been aggressive to visiting staff. Do not visit alone.",
    AlertKind.ANIMALS: "Two large dogs in the home. Ask for them to be shut away before going in.",
    AlertKind.VISIT_IN_PAIRS: "Visit in pairs after the incident with a housing officer.",
    AlertKind.INTIMIDATION: "Threats made on the phone to the school; meet at the family hub instead.",
}
ALERT_END_REASONS = ("The partner has moved out and the family asked for visits at home again.",
                     "The dogs have been rehomed.")
DOCUMENT_DESCRIPTIONS = {
    DocumentCategory.CONSENT: "Signed consent to the Early Help Assessment",
    DocumentCategory.REPORT: "Report from the school on attendance and progress",
    DocumentCategory.CHILDS_WORK: "{child}'s drawing of their family, from direct work",
}


def _tiny_pdf(text: str) -> bytes:
    """A one-page PDF saying `text`: a real file for the download to serve."""
    safe = text.encode("latin-1", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 72 720 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _tiny_png(rng: random.Random) -> bytes:
    """An 8 by 8 picture of one colour."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    colour = bytes(rng.randrange(256) for _ in range(3))
    raw = b"".join(b"\x00" + colour * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _at(rng: random.Random, day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(9, 0)) + timedelta(minutes=rng.randrange(0, 480)))


def _managers_by_team() -> dict[int, list[int]]:
    managers: dict[int, list[int]] = defaultdict(list)
    for user_id, team_id in (User.teams.through.objects.filter(user__role=Role.TEAM_MANAGER)
                             .values_list("user_id", "team_id").order_by("team_id", "user_id")):
        managers[team_id].append(user_id)
    return managers


class _Recorder:
    """One chunk of episodes' rows, built in Python and then written in a few bulk inserts."""

    def __init__(self, rng: random.Random, today: date, managers: dict[int, list[int]]):
        self.rng, self.today, self.managers = rng, today, managers
        self.notes, self.note_children, self.addenda = [], [], []
        self.oversight, self.oversight_due, self.alerts, self.documents = [], [], [], []
        self.kinds, self.kind_weights = list(KIND_WEIGHTS), list(KIND_WEIGHTS.values())
        self.storage = documents_storage()

    def episode(self, episode: dict, children: list[tuple[int, str]], adults: list[tuple[int, str]]) -> None:
        author_id = episode["lead_professional_id"] or episode["allocated_worker_id"]
        if author_id is None or not children:
            if episode["closed_on"] is None:  # nothing recorded yet: the first oversight is still due
                self.oversight_due.append((oversight_due_after(episode["opened_on"]), episode["id"]))
            return
        end = min(episode["closed_on"] or self.today, self.today)
        adult = adults[0][1] if adults else "The parent"
        self._notes(episode, author_id, children, adult, end)
        self._oversight(episode, end)
        self._documents(episode, author_id, children, end)

    def _notes(self, episode: dict, author_id: int, children, adult: str, end: date) -> None:
        rng = self.rng
        day, made = episode["opened_on"] + timedelta(days=rng.randrange(1, 8)), []
        while day <= end and len(made) < MOST_NOTES:
            kind = rng.choices(self.kinds, self.kind_weights)[0]
            child = rng.choice(children)[1]
            words = {"adult": adult, "child": child}
            significant = rng.random() < SIGNIFICANT_SHARE
            category = rng.choice(list(SIGNIFICANT_WORDS)) if significant else ""
            # A disclosure of domestic abuse is always restricted; a few other notes are too.
            restricted = (significant and category == SignificantEventCategory.DOMESTIC_ABUSE) \
                or rng.random() < RESTRICTED_SHARE
            what = (SIGNIFICANT_WORDS[category] if significant else rng.choice(WHAT_HAPPENED[kind])).format(**words)
            happened = _at(rng, day)
            note = new_row(
                CaseNote, family_id=episode["family_id"], episode_id=episode["id"], kind=kind,
                happened_at=happened, time_known=kind != ContactKind.TEXT_OR_EMAIL,
                present=", ".join([adult] + [name for _, name in children]) if kind in IN_PERSON else "",
                what_happened=what, childs_words=rng.choice(CHILDS_WORDS) if kind in IN_PERSON else "",
                analysis=rng.choice(ANALYSIS), next_steps=rng.choice(NEXT_STEPS), significant=significant,
                significant_category=category, restricted=restricted,
                restricted_reason="Disclosure of domestic abuse" if restricted else "",
                author_id=author_id, updated_by_id=author_id, created_at=happened,
                updated_at=happened + timedelta(hours=2), completed_at=happened + timedelta(hours=2),
            )
            made.append(note)
            if kind in IN_PERSON:
                for person_id, _name in children:
                    seen = rng.random() < 0.85
                    alone = seen and rng.random() < (0.8 if kind == ContactKind.DIRECT_WORK else 0.3)
                    self.note_children.append((note, person_id, seen, alone))
            if rng.random() < ADDENDUM_SHARE:
                added = happened + timedelta(days=rng.randrange(1, 6))
                if added.date() <= self.today:
                    self.addenda.append((note, rng.choice(ADDENDA).format(**words), author_id, added))
            day += timedelta(days=rng.randrange(*CONTACT_GAP_DAYS))
        if made and episode["closed_on"] is None and rng.random() < DRAFT_SHARE:
            made[-1].completed_at = None
            self.addenda = [addendum for addendum in self.addenda if addendum[0] is not made[-1]]
        self.notes += made

    def _oversight(self, episode: dict, end: date) -> None:
        is_open = episode["closed_on"] is None
        first_due = oversight_due_after(episode["opened_on"])  # as the service gives a new episode
        managers = self.managers.get(episode["team_id"]) if episode["team_id"] else None
        if not managers:
            if is_open:
                self.oversight_due.append((first_due, episode["id"]))
            return
        rng = self.rng
        manager_id = rng.choice(managers)
        # Some open episodes' oversight stopped a month or two ago: it is late now.
        stop = end - timedelta(days=rng.randrange(40, 90)) if is_open and rng.random() < OVERSIGHT_LATE_SHARE else end
        day, latest = episode["opened_on"] + timedelta(days=rng.randrange(10, 21)), None
        while day <= stop:
            next_due = day + timedelta(days=28)
            self.oversight.append(new_row(
                OversightNote, episode_id=episode["id"], family_id=episode["family_id"],
                kind=rng.choice(OversightKind.values), decision=rng.choice(OVERSIGHT_DECISIONS),
                actions=rng.choice(OVERSIGHT_ACTIONS), next_due_on=next_due, recorded_by_id=manager_id,
                recorded_at=_at(rng, day),
            ))
            latest = next_due
            day += timedelta(days=rng.randrange(*OVERSIGHT_GAP_DAYS))
        if is_open:
            self.oversight_due.append((latest or first_due, episode["id"]))

    def _documents(self, episode: dict, author_id: int, children, end: date) -> None:
        rng = self.rng
        for category, share in DOCUMENT_SHARES.items():
            if rng.random() >= share:
                continue
            dated = min(episode["opened_on"] + timedelta(days=rng.randrange(3, 40)), end)
            description = DOCUMENT_DESCRIPTIONS[category].format(child=rng.choice(children)[1])
            if category == DocumentCategory.CHILDS_WORK:
                body, content_type, extension = _tiny_png(rng), "image/png", ".png"
            else:
                body, content_type, extension = _tiny_pdf(description), "application/pdf", ".pdf"
            wanted = f"seed/{dated:%Y/%m}/{rng.getrandbits(128):032x}{extension}"
            stored = self.storage.save(wanted, ContentFile(body))
            self.documents.append(new_row(
                Document, family_id=episode["family_id"], episode_id=episode["id"], category=category,
                description=description, dated=dated, original_name=f"{category}-{dated:%Y-%m-%d}{extension}",
                storage_name=stored, content_type=content_type, size=len(body),
                sha256=hashlib.sha256(body).hexdigest(), uploaded_by_id=author_id, uploaded_at=_at(rng, dated),
            ))

    def family_alert(self, family_id: int, recorder_id: int, adults: list[tuple[int, str]], opened_on: date) -> None:
        rng = self.rng
        kind = rng.choice(list(ALERTS))
        adult_id, adult = adults[0] if adults else (None, "A parent")
        recorded = _at(rng, opened_on + timedelta(days=rng.randrange(1, 30)))
        ended = rng.random() < ALERT_ENDED_SHARE
        ended_at = recorded + timedelta(days=rng.randrange(30, 120)) if ended else None
        if ended_at is not None and ended_at.date() > self.today:
            ended_at = None
        if recorded.date() > self.today:
            return
        self.alerts.append(new_row(
            Alert, family_id=family_id, person_id=adult_id if kind != AlertKind.ANIMALS else None, kind=kind,
            details=ALERTS[kind].format(adult=adult), recorded_by_id=recorder_id, recorded_at=recorded,
            updated_at=ended_at or recorded, ended_at=ended_at, ended_by_id=recorder_id if ended_at else None,
            end_reason=rng.choice(ALERT_END_REASONS) if ended_at else "",
        ))

    def write(self) -> None:
        bulk_insert(CaseNote, self.notes, keep=("created_at", "updated_at"))
        bulk_insert(NoteChild, [new_row(NoteChild, note_id=note.pk, child_id=person_id, seen=seen, seen_alone=alone)
                                for note, person_id, seen, alone in self.note_children])
        bulk_insert(Addendum, [new_row(Addendum, note_id=note.pk, family_id=note.family_id, text=text,
                                       author_id=author_id, added_at=added)
                               for note, text, author_id, added in self.addenda], keep=("added_at",))
        bulk_insert(OversightNote, self.oversight, keep=("recorded_at",))
        bulk_insert(Alert, self.alerts, keep=("updated_at",))
        bulk_insert(Document, self.documents, keep=("uploaded_at",))
        if self.oversight_due:
            table = connection.ops.quote_name(Episode._meta.db_table)
            with connection.cursor() as cursor:
                cursor.executemany(f"UPDATE {table} SET oversight_due_on = %s WHERE id = %s", self.oversight_due)


def _members(model, owner_field: str, owners: list[int], **where) -> dict[int, list[tuple[int, str]]]:
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for start in range(0, len(owners), LOOKUP_CHUNK):
        rows = (model.objects.filter(**{f"{owner_field}__in": owners[start:start + LOOKUP_CHUNK]}, **where)
                .values_list(owner_field, "person_id", "person__first_name").order_by(owner_field, "person_id"))
        for owner, person_id, first_name in rows:
            found[owner].append((person_id, first_name))
    return found


def seed_recording(*, rng: random.Random) -> dict[str, int]:
    """Notes, oversight, alerts and documents for every seeded episode; returns what was made."""
    today = timezone.localdate()
    managers = _managers_by_team()
    counts: dict[str, int] = defaultdict(int)
    fields = ("id", "family_id", "opened_on", "closed_on", "team_id", "lead_professional_id", "allocated_worker_id")
    episode_ids = list(Episode.objects.order_by("pk").values_list("pk", flat=True))
    alerted: set[int] = set()
    for start in range(0, len(episode_ids), CHUNK):
        chunk = list(Episode.objects.filter(pk__in=episode_ids[start:start + CHUNK]).order_by("pk").values(*fields))
        children = _members(EpisodeChild, "episode_id", [row["id"] for row in chunk], removed_on__isnull=True)
        adults = _members(FamilyMember, "family_id", sorted({row["family_id"] for row in chunk}),
                          role__in=ADULT_ROLES, left_on__isnull=True)
        recorder = _Recorder(rng, today, managers)
        for episode in chunk:
            family_adults = adults.get(episode["family_id"], [])
            recorder.episode(episode, children.get(episode["id"], []), family_adults)
            worker = episode["lead_professional_id"] or episode["allocated_worker_id"]
            if worker and episode["family_id"] not in alerted and rng.random() < ALERT_SHARE:
                alerted.add(episode["family_id"])
                recorder.family_alert(episode["family_id"], worker, family_adults, episode["opened_on"])
        recorder.write()
        for name, rows in (("case notes", recorder.notes), ("children seen or not", recorder.note_children),
                           ("addenda", recorder.addenda), ("oversight notes", recorder.oversight),
                           ("alerts", recorder.alerts), ("documents", recorder.documents)):
            counts[name] += len(rows)
        counts["significant events"] += sum(note.significant for note in recorder.notes)
        counts["restricted notes"] += sum(note.restricted for note in recorder.notes)
    return dict(counts)


def seed_reset_recording() -> None:
    """Remove what this module made (before the episodes and families it protects), files included."""
    storage = documents_storage()
    for name in Document.objects.values_list("storage_name", flat=True).iterator():
        storage.delete(name)
    Document.objects.all().delete()
    Alert.objects.all().delete()
    Addendum.objects.all().delete()
    OversightNote.objects.all().delete()
    CaseNote.objects.all().delete()
