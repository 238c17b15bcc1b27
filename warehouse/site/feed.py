"""An Atom feed of the newest alerts, for staff who follow a country or a category."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from warehouse.site.display import label

ATOM = "http://www.w3.org/2005/Atom"
SUMMARY_CHARS = 400


def feed_title(country: str, category: str, demo: bool) -> str:
    parts = [label("categories", category) if category else "",
             label("primary_country", country) if country else ""]
    about = " in ".join(p for p in parts if p) or "all countries and categories"
    return f"{'DEMO DATA — ' if demo else ''}IFEX alerts: {about}"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    element.text = text
    return element


def atom_feed(rows: list[dict], title: str, self_url: str, alert_url) -> bytes:
    """The feed document: one entry per alert row, newest first; ``alert_url(id)`` is
    the address of an alert's page."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "title", title)
    _text(feed, "id", self_url)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": self_url})
    updated = max((str(r["published"]) for r in rows), default="1995-01-01")
    _text(feed, "updated", f"{updated}T00:00:00Z")
    for row in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        url = alert_url(row["alert_id"])
        _text(entry, "id", url)
        _text(entry, "title", row["title"] or row["alert_id"])
        _text(entry, "updated", f"{row['published']}T00:00:00Z")
        ET.SubElement(entry, f"{{{ATOM}}}link", {"rel": "alternate", "href": url})
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", row.get("organisation") or "IFEX member")
        for code in json.loads(row.get("categories") or "[]"):
            ET.SubElement(entry, f"{{{ATOM}}}category",
                          {"term": code, "label": label("categories", code)})
        _text(entry, "summary", (row.get("text") or "")[:SUMMARY_CHARS])
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
