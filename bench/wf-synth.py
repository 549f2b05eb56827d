#!/usr/bin/python3
"""bench/wf-synth.py RECORDS SITES ITEMS OUTDIR: the input of bench/catalog.sh.

OUTDIR/production.json: RECORDS synthetic records in Wordfence Intelligence
v3's real schema (../shared/catalog/05-wordfence-intelligence.md), about
3.5 KB each as the real feed's are (description, references, copyrights).
OUTDIR/docs.json: SITES report documents, each with ITEMS inventory items
(WordPress core, 3 themes, the rest plugins) drawn from the same slugs.
Deterministic (a fixed seed), so runs compare.
"""
import json
import random
import sys
import uuid

records, sites, items, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rnd = random.Random(7208)
plugins = ["plugin-%d" % i for i in range(max(1, records // 5))]
themes = ["theme-%d" % i for i in range(max(1, records // 40))]
LICENSE = "Defiant hereby grants you a perpetual, worldwide, non-exclusive license " * 12


def version():
    return "%d.%d.%d" % (rnd.randint(0, 9), rnd.randint(0, 20), rnd.randint(0, 30))


def record(n):
    typ = "theme" if n % 10 == 0 else "plugin"
    slug = rnd.choice(themes if typ == "theme" else plugins)
    ranges = {}
    patched = []
    for _ in range(rnd.choice((1, 1, 1, 2))):
        to = version()
        ranges["* - " + to] = {"from_version": "*", "from_inclusive": True,
                               "to_version": to, "to_inclusive": rnd.random() < 0.8}
        patched.append(to + ".1")
    rid = str(uuid.UUID(int=rnd.getrandbits(128)))
    return rid, {
        "id": rid,
        "title": "%s <= %s - Cross-Site Scripting" % (slug, max(ranges)[4:]),
        "software": [{"type": typ, "name": slug.title(), "slug": slug,
                      "affected_versions": ranges, "patched": bool(patched),
                      "patched_versions": patched,
                      "remediation": "Update to a newer patched version"}],
        "informational": n % 97 == 0,
        "description": "The plugin is vulnerable to Stored Cross-Site Scripting " * 20,
        "references": ["https://www.wordfence.com/threat-intel/vulnerabilities/id/%s" % rid],
        "cwe": {"id": 79, "name": "Cross-site Scripting", "description": "XSS " * 30},
        "cvss": {"vector": "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N",
                 "score": round(rnd.uniform(2, 10), 1), "rating": "Medium"},
        "cve": "CVE-2026-%05d" % n, "cve_link": "https://www.cve.org/CVERecord?id=CVE-2026-%05d" % n,
        "researchers": ["A. Researcher"], "published": "2026-01-01 00:00:00",
        "updated": "2026-01-02 00:00:00",
        "copyrights": {"message": "subject to copyright",
                       "defiant": {"notice": "Copyright Defiant Inc.", "license": LICENSE,
                                   "license_url": "https://www.wordfence.com/"}},
    }


with open(out + "/production.json", "w") as f:
    f.write("{")
    for n in range(records):
        rid, rec = record(n)
        f.write(("," if n else "") + json.dumps(rid) + ":" + json.dumps(rec))
    f.write("}")

docs = []
for s in range(sites):
    inv = [{"kind": "wordpress-core", "slug": "wordpress", "version": "6.6.2",
            "path": "/srv/site%d" % s}]
    for k in range(items - 1):
        theme = k < 3
        slug = rnd.choice(themes if theme else plugins)
        inv.append({"kind": "wordpress-theme" if theme else "wordpress-plugin", "slug": slug,
                    "key": slug if theme else "%s/%s.php" % (slug, slug), "version": version(),
                    "wordpress_org": True, "path": "/srv/site%d/wp-content/%s" % (s, slug)})
    docs.append({"server": {"findings": []},
                 "sites": [{"name": "site%d.test" % s, "status": "ok", "inventory": inv,
                            "findings": []}]})
with open(out + "/docs.json", "w") as f:
    json.dump(docs, f)
