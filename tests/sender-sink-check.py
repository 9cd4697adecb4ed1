#!/usr/bin/env python3
# NAME
#	sender-sink-check.py - what did smtp-sink receive?
# SYNOPSIS
#	sender-sink-check.py DIR EXPECTED POSSIBLE_DUPLICATES
# DESCRIPTION
#	Reads every message file smtp-sink -d wrote into DIR (envelope
#	recipient from X-Rcpt-Args, the Message-ID header). Fails unless
#	EXPECTED distinct recipients were seen, every recipient seen more
#	than once got the same Message-ID each time, and the number of
#	extra copies is at most POSSIBLE_DUPLICATES (links-sender's count).
import os
import re
import sys

d, expected, possible = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seen = {}
for root, _, files in os.walk(d):
    for f in files:
        text = open(os.path.join(root, f), 'rb').read().decode('utf-8', 'replace')
        rcpt = re.search(r'^X-Rcpt-Args: <([^>]+)>', text, re.M)
        mid = re.search(r'^Message-ID: (\S+)', text, re.M | re.I)
        if not rcpt or not mid:
            print('%s: no recipient or Message-ID' % f)
            sys.exit(1)
        seen.setdefault(rcpt.group(1), []).append(mid.group(1))
extra = sum(len(v) - 1 for v in seen.values())
bad = [r for r, v in seen.items() if len(set(v)) != 1]
print('distinct recipients %d (expected %d), extra copies %d (possible duplicates %d), '
      'recipients with different Message-IDs %d' % (len(seen), expected, extra, possible, len(bad)))
ok = len(seen) == expected and not bad and extra <= possible
sys.exit(0 if ok else 1)
