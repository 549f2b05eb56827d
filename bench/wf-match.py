#!/usr/bin/python3
"""bench/wf-match.py FEED DOCS: what a scanner script does with the Wordfence
feed (json.load of the whole body, an index by (type, slug), range checks),
for the same items bench/catalog.sh has huolto evaluate. Prints the count of
vulnerable items. Versions compare as numeric tuples (the synthetic ones are
plain x.y.z)."""
import json
import sys


def v(s):
    return tuple(int(p) if p.isdigit() else 0 for p in s.split("."))


def hit(r, ver):
    f, t = r["from_version"], r["to_version"]
    lo = f == "*" or v(f) < ver or (r["from_inclusive"] and v(f) == ver)
    hi = t == "*" or v(t) > ver or (r["to_inclusive"] and v(t) == ver)
    return lo and hi


feed = json.load(open(sys.argv[1]))
index = {}
for rec in feed.values():
    if rec.get("informational"):
        continue
    for sw in rec["software"]:
        index.setdefault((sw["type"], sw["slug"]), []).append(sw)
found = 0
for doc in json.load(open(sys.argv[2])):
    for item in doc["sites"][0]["inventory"]:
        typ = {"wordpress-plugin": "plugin", "wordpress-theme": "theme"}.get(item["kind"])
        ver = v(item["version"])
        if typ and any(hit(r, ver) for sw in index.get((typ, item["slug"]), [])
                       for r in sw["affected_versions"].values()):
            found += 1
print("%d vulnerable" % found)
