#!/usr/bin/env python3
"""Checks every Atom feed under a built site against what RFC 4287 requires, and every other .xml file for
well-formedness. Prints one line per problem and a summary; exits 1 if there was any problem.

    check-feeds.py SITE_DIR

Why not feedparser: it is built to read broken feeds and says little when they are broken. A reader that rejects
a feed does so because it is not well-formed XML or lacks an element the RFC makes mandatory, which is what this
checks: the XML parses; the root is an Atom <feed>; the feed and each entry have exactly one id, title and updated
with an RFC 3339 date; each entry has a link rel="alternate" with an absolute URL; every entry has an author or
the feed has one; an <content type="html"> holds text, not markup. Python standard library only.
"""

import datetime
import pathlib
import sys
import urllib.parse
import xml.etree.ElementTree as ET

ATOM = "{http://www.w3.org/2005/Atom}"


def rfc3339(text):
    try:
        parsed = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return False
    return "T" in text and parsed.tzinfo is not None


def absolute(url):
    parts = urllib.parse.urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_common(element, where, problems):
    for name in ("id", "title", "updated"):
        found = element.findall(ATOM + name)
        if len(found) != 1:
            problems.append(f"{where}: {len(found)} <{name}> elements, expected exactly 1")
        elif name != "title" and not (found[0].text or "").strip():
            problems.append(f"{where}: empty <{name}>")
    updated = element.find(ATOM + "updated")
    if updated is not None and not rfc3339(updated.text):
        problems.append(f"{where}: <updated>{updated.text}</updated> is not an RFC 3339 date-time")


def check_feed(path, root, problems):
    check_common(root, f"{path}: feed", problems)
    feed_author = root.find(ATOM + "author") is not None
    entries = root.findall(ATOM + "entry")
    for index, entry in enumerate(entries, 1):
        where = f"{path}: entry {index}"
        check_common(entry, where, problems)
        alternates = [l for l in entry.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        if not alternates or not all(absolute(l.get("href")) for l in alternates):
            problems.append(f"{where}: no link rel=alternate with an absolute URL")
        if not feed_author and entry.find(ATOM + "author/" + ATOM + "name") is None:
            problems.append(f"{where}: no <author><name> and the feed has no author")
        content = entry.find(ATOM + "content")
        if content is not None and content.get("type") == "html" and len(content):
            problems.append(f"{where}: <content type=\"html\"> holds elements, not escaped HTML")
    return len(entries)


def main(site):
    problems, feeds, entries, others = [], 0, 0, 0
    for path in sorted(pathlib.Path(site).rglob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            problems.append(f"{path}: not well-formed XML: {e}")
            continue
        if root.tag == ATOM + "feed":
            feeds += 1
            entries += check_feed(path, root, problems)
        else:
            others += 1
    for p in problems:
        print(p)
    print(f"feeds: {feeds} Atom feeds ({entries} entries) and {others} other XML files checked, {len(problems)} problems")
    return 1 if problems or feeds == 0 else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
