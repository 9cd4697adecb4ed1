#!/usr/bin/env python3
"""Turn crisp's expected.json (assertions in JavaScript) into crisp.expect,
the table tests/unit/test_reply_corpus.c reads. One line per check:
FIXTURE<TAB>OP<TAB>ARG, OP one of
  common        the new text equals COMMON_FIRST_FRAGMENT (after strip)
  equal         the new text equals ARG (JSON string, after strip)
  match         the new text matches the regex ARG (fragment 0 assertions)
  nomatch       the new text does not match the regex ARG
  nocut         nothing is cut (upstream: a single fragment)
Assertions about later fragments (quoted/hidden flags) have no equivalent
in our model (we keep only the new text) and are skipped.
Run from this directory: python3 make-expect.py > crisp.expect"""
import json, re, sys
d = json.load(open("expected.json"))
seen = set()
out = []
for c in d["cases"]:
    fx = c["fixture"]
    if not fx:
        continue  # inline strings in the upstream test, not fixtures
    for a in c["assertions"]:
        m = re.match(r'test\.equal\((".*"), (?:reply\.)?(?:fragments\[0\]\.toString\(\)|email\.getVisibleText\(\)|reply)\);$', a)
        if m:
            out.append((fx, "equal", m.group(1)))
            continue
        m = re.match(r'test\.equal\(COMMON_FIRST_FRAGMENT, fragments\[0\]\.toString\(\)\.trim\(\)\);$', a)
        if m:
            out.append((fx, "common", "-"))
            continue
        m = re.match(r'test\.equal\(true, ?/(.*)/\.test\((?:fragments\[0\](?:\.toString\(\))?|reply)\)\);$', a)
        if m:
            out.append((fx, "match", m.group(1)))
            continue
        m = re.match(r'test\.equal\(false, ?/(.*)/\.test\((?:fragments\[0\](?:\.toString\(\))?|reply)\)\);$', a)
        if m:
            out.append((fx, "nomatch", m.group(1)))
            continue
        if a == "test.equal(1, fragments.length);" and c["kind"] == "other":
            out.append((fx, "nocut", "-"))
            continue
for t in out:
    if t in seen:
        continue
    seen.add(t)
    print("\t".join(t))
