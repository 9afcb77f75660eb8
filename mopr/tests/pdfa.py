"""Structural checks of PDF/A-3b (ISO 19005-3, level B) on a printout, with pikepdf: what a
validator such as veraPDF checks of the file's structure, not its text.

- the catalog's XMP metadata: unfiltered, with pdfaid:part 3 and pdfaid:conformance B;
- an output intent GTS_PDFA1 with an embedded ICC profile;
- no encryption; no JavaScript, no launch or external actions;
- every font embedded (a FontFile, FontFile2 or FontFile3 in its descriptor);
- the trailer's document ID.
"""

from __future__ import annotations

import io

import pikepdf


def pdfa_problems(content: bytes) -> list[str]:
    problems: list[str] = []
    pdf = pikepdf.open(io.BytesIO(content))
    if pdf.is_encrypted:
        problems.append("encrypted")
    root = pdf.Root
    if "/Metadata" not in root:
        problems.append("no XMP metadata")
    else:
        stream = root.Metadata
        if "/Filter" in stream:
            problems.append("the XMP metadata stream is compressed")
        xmp = stream.read_bytes().decode("utf-8", "replace")
        if not ('pdfaid:part="3"' in xmp or "<pdfaid:part>3<" in xmp):
            problems.append("XMP: no pdfaid:part 3")
        if not ('pdfaid:conformance="B"' in xmp or "<pdfaid:conformance>B<" in xmp):
            problems.append("XMP: no pdfaid:conformance B")
    intents = root.get("/OutputIntents", [])
    if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        problems.append("no GTS_PDFA1 output intent with an ICC profile")
    if "/Names" in root and "/JavaScript" in root.Names:
        problems.append("JavaScript")
    if "/ID" not in pdf.trailer:
        problems.append("no document ID in the trailer")
    seen = set()
    for page_number, page in enumerate(pdf.pages, 1):
        resources = page.get("/Resources", {})
        for name, font in resources.get("/Font", {}).items():
            for descendant in [font, *font.get("/DescendantFonts", [])]:
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is None:
                    continue
                key = str(descriptor.get("/FontName"))
                if key in seen:
                    continue
                seen.add(key)
                if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"page {page_number}: font {name} ({key}) not embedded")
        for annotation in page.get("/Annots", []):
            action = annotation.get("/A", {})
            if action.get("/S") in ("/JavaScript", "/Launch", "/GoToR", "/ImportData"):
                problems.append(f"page {page_number}: forbidden action {action.get('/S')}")
    if not seen:
        problems.append("no font at all")
    return problems
