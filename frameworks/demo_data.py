"""Demo data: two small, invented competence frameworks for child-protection social work.

Framework A is a Romanian-style practice framework (domains, capabilities, indicators); framework
B is a Serbian-style workforce standard (areas, competences) whose package also carries a
crosswalk to A (``exactMatchOf`` and ``isRelatedTo``). Both are CASE 1.0 CFPackages with
Practica's ``proficiencyScale`` and ``jurisdiction`` extensions, ready for ``import_package``.
A role profile and the alignments of a short safeguarding course complete the demo, so that the
gap analysis and the crosswalk have something to show. All text is written for this demo; it
quotes no published framework. Identifiers are stable (uuid5), so a re-import updates in place.
"""

import uuid
from typing import Any

NAMESPACE = uuid.UUID("6f0c2b8e-3d4a-5b1c-9e7f-2a8d4c6b1e90")
CHANGED = "2026-09-01T00:00:00+00:00"
PUBLISHER = "Practica (demo content)"
COURSE_IRI = "urn:practica:demo:course:safeguarding-basics"

# An outline per framework: a line "code short title" (indicators have no short title), then
# the full statement indented below it. The parent is the code before the last dot, the depth
# gives the item type, and the order of the lines is the order among siblings.
CP_RO_OUTLINE = """
1 Recognising and responding to harm
    Recognises possible harm to a child and responds in a way that keeps the child safe.
1.1 Recognising signs of harm
    Recognises the signs that a child may be suffering abuse or neglect.
1.1.1
    Identifies physical, emotional and behavioural signs that may point to abuse or neglect.
1.1.2
    Reads possible signs of harm in the light of the child's age, development and any disability.
1.1.3
    Tells concerns needing immediate protective action from those needing further enquiry.
1.2 Responding to a disclosure
    Responds to a child who tells of abuse in a way that supports them and preserves the account.
1.2.1
    Listens calmly to a child's disclosure, asks no leading questions and promises no secrecy.
1.2.2
    Records promptly and factually what the child said, in the child's own words.
1.2.3
    Explains to the child, in words they understand, what will happen next.
1.3 Referral and immediate safety
    Acts on concerns through the agreed procedures and secures the child's immediate safety.
1.3.1
    Makes a referral through the agreed local procedure within the required timescale.
1.3.2
    Takes or arranges immediate protective action when a child is at risk of significant harm.
2 Assessment and planning
    Assesses children's safety and needs and plans with families and partners to meet them.
2.1 Gathering information
    Gathers the information an assessment needs from every relevant source.
2.1.1
    Gathers information from the child, family and other professionals and checks its reliability.
2.1.2
    Uses case records and a chronology to see patterns of concern over time.
2.2 Analysing risk and need
    Analyses the information to reach a sound judgement about risk and need.
2.2.1
    Weighs risk factors against the protective factors and strengths within the family.
2.2.2
    Reaches a clear, evidence-based judgement about the child's safety and needs, and its limits.
2.3 Planning and review
    Turns the assessment into a plan and keeps it under review.
2.3.1
    Writes a protection plan with specific outcomes, actions and named responsibilities.
2.3.2
    Reviews progress against the plan and changes it when circumstances change.
3 Working with children and families
    Works directly and respectfully with children, parents and carers.
3.1 Participation of the child
    Makes sure that the child is heard and that their views count.
3.1.1
    Seeks and records the child's views and wishes by means suited to their age and ability.
3.1.2
    Shows how the child's views have shaped the decisions made about them.
3.2 Partnership with parents and carers
    Works in partnership with parents and carers while staying focused on the child.
3.2.1
    Builds a working relationship with parents while being open about concerns and own authority.
3.2.2
    Explains procedures, rights and decisions to parents in plain language.
3.2.3
    Works with interpreters and cultural mediators when a family needs them.
4 Professional practice and ethics
    Practises lawfully, ethically and reflectively, alone and with other agencies.
4.1 Ethical and legal practice
    Bases decisions on the law, on professional ethics and on the child's best interests.
4.1.1
    Applies child protection law and the best-interests principle in every decision.
4.1.2
    Keeps information confidential and shares it lawfully when a child is at risk.
4.2 Reflective practice and supervision
    Reflects on own practice and keeps learning.
4.2.1
    Uses supervision to examine decisions, assumptions and the emotional impact of the work.
4.2.2
    Keeps own knowledge up to date through continuing professional development.
4.3 Inter-agency working
    Works with other agencies so that the child gets a coordinated response.
4.3.1
    Brings clear, evidence-based information to multi-agency meetings.
4.3.2
    Challenges disagreement between agencies and escalates it when a child's safety is at stake.
"""

CP_RS_OUTLINE = """
A Protection of children
    Protects children from abuse, neglect and exploitation.
A.1 Signs of abuse
    Recognises signs of abuse and neglect in children of different ages.
A.2 Disclosure
    Responds to a child's disclosure of abuse supportively and writes an accurate account of it.
A.3 Reporting
    Reports a suspicion of abuse to the competent social work centre within the set deadline.
A.4 Urgent measures
    Carries out urgent protective measures, including emergency placement of the child.
B Assessment and case management
    Assesses and manages the cases of children and families in need.
B.1 Initial assessment
    Carries out an initial assessment of the child's needs and the family's circumstances.
B.2 Risk assessment
    Assesses risk to the child's safety, taking account of the family's protective factors.
B.3 Service plan
    Draws up an individual service plan with the family and reviews it at set intervals.
B.4 Case records
    Keeps case documentation complete and in line with regulations.
C Professional values and cooperation
    Acts on professional values and cooperates with other services.
C.1 Child participation
    Involves the child in decisions in line with the child's age and maturity.
C.2 Cooperation
    Cooperates with education, health and police services under a multi-agency protocol.
C.3 Ethics
    Acts according to the professional code of ethics and protects personal data.
C.4 Supervision
    Takes part in supervision and continuing professional development.
"""

# B's crosswalk to A: (code in B, association type, code in A).
CP_RS_CROSSWALK: list[tuple[str, str, str]] = [
    ("A.1", "exactMatchOf", "1.1.1"),
    ("A.2", "isRelatedTo", "1.2.1"),
    ("A.3", "exactMatchOf", "1.3.1"),
    ("A.4", "isRelatedTo", "1.3.2"),
    ("B.1", "isRelatedTo", "2.1"),
    ("B.2", "exactMatchOf", "2.2.1"),
    ("B.3", "isRelatedTo", "2.3"),
    ("C.1", "exactMatchOf", "3.1.1"),
    ("C.2", "exactMatchOf", "4.3"),
    ("C.4", "exactMatchOf", "4.2"),
]


def _id(name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, name))


CP_RO = _id("cp-ro:document")
CP_RS = _id("cp-rs:document")


def _rows(outline: str) -> list[tuple[str, str, str]]:
    """(code, short title, full statement) for each item of an outline."""
    rows: list[tuple[str, str, str]] = []
    for line in outline.strip().splitlines():
        if line.startswith(" "):
            code, short, full = rows[-1]
            rows[-1] = (code, short, f"{full} {line.strip()}".lstrip())
        else:
            code, _, short = line.partition(" ")
            rows.append((code, short, ""))
    return rows


def _link(node: dict[str, Any]) -> dict[str, str]:
    title = node.get("title") or node.get("abbreviatedStatement") or node["fullStatement"]
    return {"title": title, "identifier": node["identifier"], "uri": node["uri"]}


def _association(
    key: str, kind: str, origin: dict[str, Any], destination: dict[str, Any], sequence: int = 0
) -> dict[str, Any]:
    name = f"{key}:association:{kind}:{origin['identifier']}:{destination['identifier']}"
    association: dict[str, Any] = {
        "identifier": _id(name),
        "uri": f"urn:practica:demo:framework:{key}:association:{_id(name)}",
        "associationType": kind,
        "originNodeURI": _link(origin),
        "destinationNodeURI": _link(destination),
        "lastChangeDateTime": CHANGED,
    }
    if sequence:
        association["sequenceNumber"] = sequence
    return association


def _package(
    key: str, document: dict[str, Any], types: tuple[str, ...], outline: str
) -> dict[str, Any]:
    """A CFPackage from an outline; the tree (isChildOf, sequenceNumber) comes from the codes."""
    doc = {
        "identifier": _id(f"{key}:document"),
        "uri": f"urn:practica:demo:framework:{key}",
        "creator": PUBLISHER,
        "publisher": PUBLISHER,
        "lastChangeDateTime": CHANGED,
        "language": "en",
        "version": "1.0",
        "adoptionStatus": "Adopted",
        **document,
    }
    nodes: dict[str, dict[str, Any]] = {"": doc}
    siblings: dict[str, int] = {}
    items, associations = [], []
    for code, short, full in _rows(outline):
        parent = code.rpartition(".")[0]
        item = {
            "identifier": _id(f"{key}:item:{code}"),
            "uri": f"urn:practica:demo:framework:{key}:item:{code}",
            "fullStatement": full,
            "humanCodingScheme": code,
            "CFItemType": types[code.count(".")],
            "lastChangeDateTime": CHANGED,
        }
        if short:
            item["abbreviatedStatement"] = short
        siblings[parent] = siblings.get(parent, 0) + 1
        items.append(item)
        associations.append(_association(key, "isChildOf", item, nodes[parent], siblings[parent]))
        nodes[code] = item
    return {"CFDocument": doc, "CFItems": items, "CFAssociations": associations}


def child_protection_packages() -> list[dict[str, Any]]:
    """Framework A (Romania), then framework B (Serbia) with its crosswalk to A."""
    ro = _package(
        "cp-ro",
        {
            "title": "Child Protection Social Work: Practice Competences (demo)",
            "description": "An invented framework for demonstrations: what a social worker in "
            "child protection is expected to know and do, in four domains.",
            "proficiencyScale": ["Foundation", "Practitioner", "Experienced", "Expert"],
            "jurisdiction": "RO",
        },
        ("Domain", "Capability", "Indicator"),
        CP_RO_OUTLINE,
    )
    rs = _package(
        "cp-rs",
        {
            "title": "Social Protection Workforce Competence Standard: "
            "Child and Family Services (demo)",
            "description": "An invented workforce standard for demonstrations, with a "
            "crosswalk to the child protection practice competences.",
            "proficiencyScale": ["Beginner", "Competent", "Proficient", "Advanced"],
            "jurisdiction": "RS",
        },
        ("Area", "Competence"),
        CP_RS_OUTLINE,
    )
    ro_items = {i["humanCodingScheme"]: i for i in ro["CFItems"]}
    rs_items = {i["humanCodingScheme"]: i for i in rs["CFItems"]}
    rs["CFAssociations"] += [
        _association("cp-rs", kind, rs_items[origin], ro_items[destination])
        for origin, kind, destination in CP_RS_CROSSWALK
    ]
    return [ro, rs]


DEMO_ROLE_PROFILES: list[dict[str, Any]] = [
    {
        "slug": "child-protection-case-worker",
        "name": {
            "en": "Child protection case worker",
            "ro": "Asistent social în protecția copilului",
        },
        "description": {
            "en": "A social worker who receives concerns about children, assesses them and "
            "coordinates the protection plan with the family and other agencies."
        },
        "framework": CP_RO,
        "targets": [
            ("1.1.1", 2),
            ("1.2.1", 2),
            ("1.2.2", 2),
            ("1.3.1", 3),
            ("2.2", 3),
            ("2.3.1", 2),
            ("3.1.1", 2),
            ("3.2", 2),
            ("4.2.1", 2),
        ],
    }
]

# "Safeguarding basics": recognising signs of abuse and responding to a disclosure.
DEMO_ALIGNMENTS: list[dict[str, Any]] = [
    {"course_iri": COURSE_IRI, "framework": CP_RO, "code": code, "level": level, "relation": rel}
    for code, level, rel in [
        ("1.1.1", 2, "teaches"),
        ("1.1.2", 1, "teaches"),
        ("1.2.1", 2, "teaches"),
        ("1.2.2", 1, "assesses"),
    ]
]
