"""XLIFF 2.0 for content translations (OASIS XLIFF Version 2.0, OASIS Standard, 5 Aug 2014).

One file per pair of languages: the root ``<xliff version="2.0" srcLang trgLang>`` in the
``urn:oasis:names:tc:xliff:document:2.0`` namespace, one ``<file>``, one ``<unit>`` per text
with ``id="model:pk:field"``, one ``<segment>`` holding ``<source>`` and ``<target>``
(§4.2.2 Structural Elements). ``srcLang`` and ``trgLang`` are attributes of ``<xliff>``, and
an ``xml:lang`` on ``<source>`` or ``<target>`` must equal them (§4.3.1 XLIFF Attributes,
§4.3.2.1 xml:lang). ``state`` on ``<segment>`` is ``initial`` for a text to translate and
``translated`` for one with a translation (§4.3.1, state). Inline codes (§4.2.3) are not
used: staff texts are plain text.

Reading refuses the whole file with every reason, each with its line: a file that is not
well-formed XML, not XLIFF 2.0, of other languages, with unknown ids, or whose source text
changed since it was exported (the translation would be of an older text)."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from lms.content_translation.registry import State, source_of, translatable, translation_of
from lms.content_translation.selectors import ObjectRow
from lms.content_translation.services import Change
from lms.errors import InvalidInput

NS = "urn:oasis:names:tc:xliff:document:2.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 5 * 1024 * 1024


def export_xliff(rows: list[ObjectRow], *, source_language: str, language: str) -> bytes:
    """The texts of ``rows`` whose source is in ``source_language``, for ``language``."""
    root = etree.Element(
        f"{{{NS}}}xliff", nsmap={None: NS}, version="2.0", srcLang=source_language,
        trgLang=language,
    )  # fmt: skip
    file = etree.SubElement(root, f"{{{NS}}}file", id="practica-content")
    for row in rows:
        for text in row.texts:
            if text.source_language != source_language:
                continue
            unit = etree.SubElement(
                file, f"{{{NS}}}unit", id=text.id, name=f"{row.label} — {text.field_label}"
            )
            state = "initial" if text.state == State.MISSING else "translated"
            segment = etree.SubElement(unit, f"{{{NS}}}segment", state=state)
            source = etree.SubElement(segment, f"{{{NS}}}source")
            source.set(XML_LANG, source_language)
            source.text = text.source
            target = etree.SubElement(segment, f"{{{NS}}}target")
            target.set(XML_LANG, language)
            target.text = text.translation
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


@dataclass(frozen=True)
class Preview:
    """What an import would change: each change with the object's name and current text."""

    source_language: str
    language: str
    changes: list[tuple[Change, str, str]]  # (change, "Object — Field", current translation)
    unchanged: int


def _line(element: etree._Element) -> str:
    return _("Line %(line)s: ") % {"line": element.sourceline or 1}


def read_xliff(data: bytes, *, language: str) -> Preview:
    """Check an XLIFF 2.0 file for ``language`` and say what it would change; raises
    ``InvalidInput`` listing every reason (``messages``) when anything is wrong."""
    if len(data) > MAX_BYTES:
        raise InvalidInput(_("The file is too big (at most 5 MB)."), field="file")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 1
        raise XliffError([_("Line %(line)s: the file is not well-formed XML (%(reason)s).")
                          % {"line": line, "reason": exc.msg}]) from exc  # fmt: skip
    if root.getroottree().docinfo.doctype:
        raise XliffError([_("Line 1: a document type declaration is not allowed.")])
    errors: list[str] = []
    if root.tag != f"{{{NS}}}xliff" or root.get("version") != "2.0":
        raise XliffError([_line(root) + _("this is not an XLIFF 2.0 file.")])
    source_language = root.get("srcLang") or ""
    if not source_language:
        errors.append(_line(root) + _("srcLang is missing."))
    if root.get("trgLang") != language:
        raise XliffError([
            _line(root)
            + _("trgLang is “%(found)s”; this import is for “%(language)s”.")
            % {"found": root.get("trgLang") or "", "language": language}
        ])  # fmt: skip
    changes: list[tuple[Change, str, str]] = []
    unchanged = 0
    seen: set[str] = set()
    for unit in root.iter(f"{{{NS}}}unit"):
        try:
            change, name, current = _read_unit(unit, source_language, language, seen)
        except _UnitError as error:
            errors.append(str(error))
            continue
        # An empty target is a text not translated yet: an import never removes one.
        if not change.text.strip() or change.text.strip() == current.strip():
            unchanged += 1
        else:
            changes.append((change, name, current))
    if errors:
        raise XliffError(errors)
    return Preview(source_language, language, changes, unchanged)


class _UnitError(Exception):
    """One unit's reason, with its line; the file's reasons are gathered."""


def _read_unit(
    unit: etree._Element, source_language: str, language: str, seen: set[str]
) -> tuple[Change, str, str]:
    unit_id = unit.get("id") or ""
    where = _line(unit)
    if unit_id in seen:
        raise _UnitError(where + _("the unit “%(id)s” appears twice.") % {"id": unit_id})
    seen.add(unit_id)
    key, _sep, rest = unit_id.partition(":")
    pk_text, _sep, field_name = rest.partition(":")
    spec = translatable(key)
    field = spec.field(field_name) if spec else None
    obj = (
        spec.rows().filter(pk=int(pk_text)).first()
        if spec and field and pk_text.isdigit()
        else None
    )
    if spec is None or field is None or obj is None:
        raise _UnitError(where + _("unknown unit id “%(id)s”.") % {"id": unit_id})
    segments = unit.findall(f"{{{NS}}}segment")
    if len(segments) != 1:
        raise _UnitError(where + _("a unit must have exactly one segment."))
    source = segments[0].find(f"{{{NS}}}source")
    target = segments[0].find(f"{{{NS}}}target")
    if source is None:
        raise _UnitError(where + _("the segment has no source."))
    for element, expected in ((source, source_language), (target, language)):
        if element is not None and element.get(XML_LANG, expected) != expected:
            raise _UnitError(
                _line(element)
                + _("xml:lang is “%(found)s”, not “%(expected)s”.")
                % {"found": element.get(XML_LANG), "expected": expected}
            )
    if len(source) or (target is not None and len(target)):
        raise _UnitError(where + _("inline codes are not supported; use plain text."))
    object_language, current_source = source_of(spec, obj, field)
    if object_language != source_language:
        raise _UnitError(
            where
            + _("this text is written in “%(found)s”, not in srcLang “%(expected)s”.")
            % {"found": object_language, "expected": source_language}
        )
    if (source.text or "").strip() != current_source.strip():
        raise _UnitError(
            _line(source) + _("the source text changed since this file was exported; "
                              "export the file again.")
        )  # fmt: skip
    text = (target.text or "") if target is not None else ""
    change = Change(
        key=spec.key, pk=obj.pk, field=field.name, language=language, text=text,
        source=current_source,
    )  # fmt: skip
    name = f"{spec.describe(obj)} — {field.label}"
    return change, name, translation_of(obj, field, language)


class XliffError(InvalidInput):
    """An XLIFF file that cannot be imported; ``messages`` has every reason, one a line."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons[0], field="file")
        self.reasons = reasons

    @property
    def messages(self) -> list[str]:
        return list(self.reasons)
