"""Demo data of the certificates app: an accrediting body (CPD in hours) and its accreditor, the
body's accreditation of the demo course, a template with a signatory and an issuance rule, so
that completing the demo course issues a signed certificate; two CPD rule sets of the body
("35 hours in 3 years of which 20 participatory", "at least 2 entries a year, one with a
confirmed peer discussion"), the demo learner registered with both and a few activities in their
ledger (one discussion confirmed by the demo supervisor, one awaiting them).

The second demo course ("Talking with children") is accredited too: the certificates of those
who completed it (the projection's records, progress/demo.py) are issued here by the real
service, which adds them to the CPD ledgers; and the accreditor has a round of it in progress
(some records decided, the others waiting). A certified colleague registered with the 35-hour
rule set awaits the demo learner's confirmation of a discussion."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from certificates.audit import services
from certificates.audit.models import AuditDecision, AuditRound
from certificates.audit.rounds import decide, draw_round
from certificates.credentials.services import issue_certificate
from certificates.models import (
    Accreditation,
    AccreditingBody,
    CertificateTemplate,
    CpdActivityKind,
    CpdEntry,
    CpdRegistration,
    CpdSource,
    CpdType,
    CpdUnit,
    CycleKind,
    DiscussionStatus,
    IssuanceRule,
    Requirement,
    RequirementKind,
    RequirementPeriod,
    RequirementRuleSet,
)
from courses.models import Course
from lms.api import DemoContext, DemoStage, DemoText, Role, User
from progress.models import CompletionRecord

DEMO_COURSE_IRI = "urn:practica:demo:course:safeguarding-basics"
TALKING_IRI = "urn:practica:demo:course:talking-with-children"
SIGNATORY = "Mihaela Stănescu"
ROUND_SEED = 2026  # the demo round draws the same sample every time


def load(context: DemoContext) -> None:
    body, _created = AccreditingBody.objects.update_or_create(
        slug="demo-cpd-council",
        defaults={
            "name": context.text({"en": "CPD Council (demo)", "ro": "Consiliul FPC (demo)"}),
            "country": "RO",
            "website": "https://example.org/",
            "cpd_unit": CpdUnit.HOURS,
        },
    )
    services.add_accreditor(body=body, user=context.users[Role.ACCREDITOR])
    learner = context.users[Role.LEARNER]
    _load_cpd(body, learner=learner, peer=context.users[Role.SUPERVISOR], language=context.language)
    template, _created = CertificateTemplate.objects.update_or_create(
        name="Demo certificate",
        defaults={
            # Empty: the default heading, "Certificate of completion" in each learner's
            # language (a heading given in English and Romanian read in English in the others).
            "heading": {},
            # Someone other than every demo user: a learner never signs their own certificate.
            "signatories": [
                {
                    "name": SIGNATORY,
                    "title": context.text(
                        {
                            "en": "President, CPD Council (demo)",
                            "ro": "Președintă, Consiliul FPC (demo)",
                        }
                    ),
                }
            ],
        },
    )
    _accredit(
        body,
        template,
        course_iri=DEMO_COURSE_IRI,
        reference="DEMO-CPD-2026-001",
        cpd_value=1,
        outcomes={
            "en": "Recognise signs of abuse and neglect; know whom to tell and how.",
            "ro": "Recunoști semnele abuzului și neglijării; știi cui și cum să le semnalezi.",
            "uk": "Розпізнаєте ознаки насильства й нехтування; знаєте, кому й як про це сказати.",
        },
    )
    talking = _accredit(
        body,
        template,
        course_iri=TALKING_IRI,
        reference="DEMO-CPD-2026-002",
        cpd_value=2,
        outcomes={
            "en": "Listen to a child's disclosure calmly; say what happens next; never promise "
            "to keep it secret.",
            "ro": "Asculți calm ce îți dezvăluie copilul; îi spui ce urmează; nu promiți "
            "niciodată să păstrezi secretul.",
            "uk": "Спокійно вислуховуєте розповідь дитини; кажете, що буде далі; ніколи не "
            "обіцяєте зберегти це в таємниці.",
        },
    )
    if talking is None:
        return
    records = list(
        CompletionRecord.objects.filter(course=talking.course)
        .select_related("learner", "course")
        .order_by("id")
    )
    for record in records:
        issue_certificate(record=record)  # the standing certificate when it was issued already
    _audit_round(talking, records, by=context.users[Role.ACCREDITOR], notes=context.notes)
    certified = context.members_at(DemoStage.CERTIFIED)
    if certified:
        _colleague_asks(certified[0], peer=learner, language=context.language)
        context.notes.append(
            "CPD ledger (learner): /cpd/, with a colleague's discussion to confirm at "
            "/cpd/confirmations/"
        )


def _accredit(
    body: AccreditingBody,
    template: CertificateTemplate,
    *,
    course_iri: str,
    reference: str,
    cpd_value: int,
    outcomes: dict[str, str],
) -> Accreditation | None:
    course = Course.objects.filter(activity_iri=course_iri).first()
    if course is None:
        return None
    accreditation, _created = Accreditation.objects.update_or_create(
        body=body,
        reference=reference,
        defaults={
            "course": course,
            "cpd_value": cpd_value,
            "learning_outcomes": outcomes,
            # In force from the start of this year for three years, whenever the demo loads.
            "valid_from": date(timezone.localdate().year, 1, 1),
            "valid_until": date(timezone.localdate().year + 2, 12, 31),
        },
    )
    IssuanceRule.objects.update_or_create(
        course=course,
        accreditation=accreditation,
        defaults={"template": template, "validity_months": 36, "is_active": True},
    )
    return accreditation


def _audit_round(
    accreditation: Accreditation, records: list[CompletionRecord], *, by: User, notes: list[str]
) -> None:
    """A round of every record, drawn once: the first two decided, the others waiting."""
    audit_round = AuditRound.objects.filter(accreditation=accreditation).first()
    if audit_round is None and len(records) >= 3:
        audit_round = _first_round(accreditation, records, by=by)
    if audit_round is not None:
        notes.append(f"Audit round (accreditor): /accreditation/rounds/{audit_round.public_id}/")


def _first_round(
    accreditation: Accreditation, records: list[CompletionRecord], *, by: User
) -> AuditRound:
    audit_round = draw_round(by=by, accreditation=accreditation, size=len(records), seed=ROUND_SEED)
    samples = list(audit_round.samples.order_by("record_id"))
    decide(
        sample=samples[0],
        decision=AuditDecision.ACCEPTED,
        notes="Both units completed; the statements match the course.",
        by=by,
    )
    decide(
        sample=samples[1],
        decision=AuditDecision.MORE_INFORMATION,
        notes="Please confirm the guide was read in full.",
        by=by,
    )
    return audit_round


def _colleague_asks(colleague: User, *, peer: User, language: str) -> None:
    """A colleague reporting to the 35-hour rule set, with a discussion awaiting ``peer``."""
    rule_set = RequirementRuleSet.objects.get(slug="demo-cpd-council-35-hours")
    CpdRegistration.objects.update_or_create(
        learner=colleague,
        rule_set=rule_set,
        defaults={"registered_on": date(timezone.localdate().year, 1, 1)},
    )
    _write_entry(
        colleague,
        language,
        {
            "title": {
                "en": "Joint home visit with a colleague",
                "ro": "Vizită la domiciliu împreună cu un coleg",
            },
            "kind": CpdActivityKind.SUPERVISION,
            "participatory": True,
            "structured": False,
            "date": timezone.localdate() - timedelta(days=3),
            "hours": Decimal(2),
            "learning": {
                "en": "How a second pair of eyes changes what we notice in a home.",
                "ro": "Cum schimbă a doua pereche de ochi ce observăm într-o casă.",
            },
            "discussion_with": peer,
            "discussion_notes": {
                "en": "We went over what each of us noticed during the visit.",
                "ro": "Am trecut prin ce a observat fiecare dintre noi în timpul vizitei.",
            },
            "discussion_status": DiscussionStatus.PENDING,
        },
    )


def _write_entry(learner: User, language: str, activity: dict[str, Any]) -> None:
    """One demo entry of ``learner``'s ledger, its texts (``DemoText``) in ``language``; found
    by its title in either language, so that loading in the other language rewrites it."""
    titles: DemoText = activity.pop("title")
    fields = {
        name: (value.get(language) or value["en"]) if isinstance(value, dict) else value
        for name, value in activity.items()
    }
    found = CpdEntry.objects.filter(
        learner=learner, source=CpdSource.EXTERNAL, title__in=titles.values()
    ).first()
    if found is None:
        CpdEntry.objects.create(
            learner=learner,
            source=CpdSource.EXTERNAL,
            title=titles.get(language) or titles["en"],
            **fields,
        )
    else:
        CpdEntry.objects.filter(pk=found.pk).update(
            title=titles.get(language) or titles["en"], **fields
        )


# --- the CPD ledger -----------------------------------------------------------------------------

_RULE_SETS: list[dict[str, Any]] = [
    {
        "slug": "demo-cpd-council-35-hours",
        "name": {
            "en": "35 hours in 3 years, 20 of them participatory",
            "ro": "35 de ore în 3 ani, dintre care 20 participative",
            "uk": "35 годин за 3 роки, з них 20 — у спільних заходах",
        },
        "description": {
            "en": "At least 35 hours of CPD in each three-year cycle, of which at least 20 in "
            "participatory activities (learning with others).",
            "ro": "Cel puțin 35 de ore de FPC în fiecare ciclu de trei ani, dintre care cel puțin "
            "20 în activități participative (învățare împreună cu alții).",
            "uk": "Щонайменше 35 годин безперервного професійного розвитку в кожному трирічному "
            "циклі, з них щонайменше 20 — у спільних заходах (навчання разом з іншими).",
        },
        "requirements": [
            (RequirementKind.HOURS, Decimal(35), "", RequirementPeriod.CYCLE),
            (RequirementKind.HOURS_OF_TYPE, Decimal(20), CpdType.PARTICIPATORY,
             RequirementPeriod.CYCLE),
        ],
        "number": "CPD-DEMO-0042",
        "registered_on": lambda: date(2025, 1, 1),
    },
    {
        "slug": "demo-cpd-council-reflective-practice",
        "name": {
            "en": "Reflective practice: 2 entries a year, one discussed with a peer",
            "ro": "Practică reflexivă: 2 înregistrări pe an, una discutată cu un coleg",
            "uk": "Рефлексивна практика: 2 записи на рік, один обговорений з колегою",
        },
        "description": {
            "en": "At least two entries in each year of the three-year cycle, one of them with "
            "a discussion a peer or supervisor confirmed.",
            "ro": "Cel puțin două înregistrări în fiecare an al ciclului de trei ani, una dintre "
            "ele cu o discuție confirmată de un coleg sau de un supervizor.",
            "uk": "Щонайменше два записи в кожному році трирічного циклу, один з них — з "
            "обговоренням, яке підтвердив колега або супервізор.",
        },
        "requirements": [
            (RequirementKind.ENTRIES, Decimal(2), "", RequirementPeriod.YEAR),
            (RequirementKind.DISCUSSIONS, Decimal(1), "", RequirementPeriod.YEAR),
        ],
        "number": "",
        # Registered this year: the cycle's earlier years are not the learner's to answer for.
        "registered_on": lambda: date(timezone.localdate().year, 1, 1),
    },
]  # fmt: skip


def _load_cpd(body: AccreditingBody, *, learner: User, peer: User, language: str) -> None:
    for spec in _RULE_SETS:
        rule_set, _created = RequirementRuleSet.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "body": body,
                "name": spec["name"].get(language) or spec["name"]["en"],
                "description": spec["description"].get(language) or spec["description"]["en"],
                "cycle_kind": CycleKind.ROLLING,
                "cycle_years": 3,
                "cycle_start": date(2025, 1, 1),
                "cycle_end": None,
                "per_learner": False,
                "time_zone": "Europe/Bucharest",
                "is_active": True,
            },
        )
        for position, (kind, amount, activity_type, period) in enumerate(spec["requirements"]):
            Requirement.objects.update_or_create(
                rule_set=rule_set,
                position=position,
                defaults={
                    "kind": kind,
                    "amount": amount,
                    "activity_type": activity_type,
                    "period": period,
                },
            )
        rule_set.requirements.filter(position__gte=len(spec["requirements"])).delete()
        CpdRegistration.objects.update_or_create(
            learner=learner,
            rule_set=rule_set,
            defaults={"registered_on": spec["registered_on"](), "number": spec["number"]},
        )
    today = timezone.localdate()
    activities: list[dict[str, Any]] = [
        {
            "title": {
                "en": "Regional child-protection conference",
                "ro": "Conferința regională de protecție a copilului",
            },
            "kind": CpdActivityKind.CONFERENCE,
            "provider": {
                "en": "Child Protection Network (demo)",
                "ro": "Rețeaua pentru Protecția Copilului (demo)",
            },
            "participatory": True,
            "structured": True,
            "date": today - timedelta(days=150),
            "hours": Decimal(12),
            "learning": {
                "en": "How other counties run joint assessments with the police.",
                "ro": "Cum fac alte județe evaluări comune cu poliția.",
            },
            "impact": {
                "en": "I now invite the police liaison to the first case meeting.",
                "ro": "Acum invit ofițerul de legătură al poliției la prima întâlnire de caz.",
            },
        },
        {
            "title": {
                "en": "Case supervision: a family in crisis",
                "ro": "Supervizare de caz: o familie în criză",
            },
            "kind": CpdActivityKind.SUPERVISION,
            "participatory": True,
            "structured": False,
            "date": today - timedelta(days=45),
            "hours": Decimal("1.5"),
            "learning": {
                "en": "Naming my own assumptions about the family before the visit.",
                "ro": "Să-mi numesc propriile presupuneri despre familie înainte de vizită.",
            },
            "impact": {
                "en": "I write down what I expect to find and check it afterwards.",
                "ro": "Notez ce mă aștept să găsesc și verific după aceea.",
            },
            "discussion_with": peer,
            "discussion_notes": {
                "en": "We went through the safety plan and what to do next time.",
                "ro": "Am trecut prin planul de siguranță și prin ce facem data viitoare.",
            },
            "discussion_status": DiscussionStatus.CONFIRMED,
            "discussion_response": {
                "en": "Yes, we discussed this case in supervision.",
                "ro": "Da, am discutat acest caz în supervizare.",
            },
            "discussion_answered_at": timezone.now() - timedelta(days=44),
        },
        {
            "title": {
                "en": "Reading: trauma-informed practice",
                "ro": "Lectură: practica informată de traumă",
            },
            "kind": CpdActivityKind.READING,
            "participatory": False,
            "structured": False,
            "date": today - timedelta(days=20),
            "hours": Decimal(4),
            "learning": {
                "en": "The four Rs of a trauma-informed approach.",
                "ro": "Cei patru R ai unei abordări informate de traumă.",
            },
        },
        {
            "title": {
                "en": "Peer learning group on family assessments",
                "ro": "Grup de învățare între colegi despre evaluarea familiei",
            },
            "kind": CpdActivityKind.PEER_GROUP,
            "participatory": True,
            "structured": False,
            "date": today - timedelta(days=7),
            "hours": Decimal(2),
            "discussion_with": peer,
            "discussion_notes": {
                "en": "We compared how we score the risk factors.",
                "ro": "Am comparat cum punctăm factorii de risc.",
            },
            "discussion_status": DiscussionStatus.PENDING,
        },
    ]
    for activity in activities:
        _write_entry(learner, language, activity)
