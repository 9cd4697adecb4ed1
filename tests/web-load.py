#!/usr/bin/env python3
# NAME
#	web-load.py - many clients press "unsubscribe" at once, with forged links among them
# SYNOPSIS
#	web-load.py --port PORT --valid FILE --forged FILE --clients N --seconds S --out JSON
# DESCRIPTION
#	N threads, each one HTTP/1.1 keep-alive client with its own address
#	(X-Forwarded-For 10.a.b.c, as the reverse proxy would send it), POST
#	"List-Unsubscribe=One-Click" (RFC 8058) for S seconds to paths drawn
#	at random from VALID (about two thirds) and FORGED (one line each).
#	A valid path must get 200, a forged one 404; anything else (another
#	status, a reset, a time-out) is an error. Writes to JSON: requests,
#	errors by kind, statuses, the valid paths used, latency percentiles
#	and the rate; exits 1 when there was any error.
import argparse
import http.client
import json
import random
import threading
import time

BODY = b"List-Unsubscribe=One-Click"
TIMEOUT = 30.0		# seconds for one request


def client(n, a, valid, forged, deadline, res, lock):
	rnd = random.Random(n)
	xff = "10.%d.%d.%d" % (n // 65536 % 256, n // 256 % 256, n % 256 or 1)
	conn = None
	lat, errs, statuses, used, count = [], {}, {}, set(), 0
	while time.time() < deadline:
		good = rnd.random() < 0.66
		path = rnd.choice(valid) if good else rnd.choice(forged)
		want = 200 if good else 404
		t0 = time.time()
		try:
			if conn is None:
				conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=TIMEOUT)
			conn.request("POST", path, BODY, {
				"Content-Type": "application/x-www-form-urlencoded",
				"X-Forwarded-For": xff, "User-Agent": "web-load/1"})
			r = conn.getresponse()
			r.read()
			statuses[r.status] = statuses.get(r.status, 0) + 1
			if r.status != want:
				k = "status %d for a %s link" % (r.status, "valid" if good else "forged")
				errs[k] = errs.get(k, 0) + 1
			elif good:
				used.add(path)
			if r.getheader("Connection", "").lower() == "close":
				conn.close()
				conn = None
		except Exception as e:
			k = type(e).__name__
			errs[k] = errs.get(k, 0) + 1
			if conn is not None:
				conn.close()
			conn = None
		lat.append(time.time() - t0)
		count += 1
	if conn is not None:
		conn.close()
	with lock:
		res["requests"] += count
		res["lat"].extend(lat)
		res["used"] |= used
		for k, v in errs.items():
			res["errors"][k] = res["errors"].get(k, 0) + v
		for k, v in statuses.items():
			res["statuses"][str(k)] = res["statuses"].get(str(k), 0) + v


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--port", type=int, required=True)
	ap.add_argument("--valid", required=True)
	ap.add_argument("--forged", required=True)
	ap.add_argument("--clients", type=int, default=200)
	ap.add_argument("--seconds", type=float, default=30)
	ap.add_argument("--out", required=True)
	a = ap.parse_args()
	valid = [l.strip() for l in open(a.valid) if l.strip()]
	forged = [l.strip() for l in open(a.forged) if l.strip()]
	res = {"requests": 0, "lat": [], "used": set(), "errors": {}, "statuses": {}}
	lock = threading.Lock()
	start = time.time()
	deadline = start + a.seconds
	threads = [threading.Thread(target=client, args=(n, a, valid, forged, deadline, res, lock))
		   for n in range(a.clients)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	elapsed = time.time() - start
	lat = sorted(res["lat"]) or [0.0]

	def pct(p):
		return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1)
	out = {"clients": a.clients, "seconds": round(elapsed, 1), "requests": res["requests"],
	       "rate_per_s": round(res["requests"] / elapsed, 1), "statuses": res["statuses"],
	       "errors": res["errors"], "valid_links_used": len(res["used"]),
	       "latency_ms": {"p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
			      "max": round(lat[-1] * 1000, 1)}}
	with open(a.out, "w") as f:
		json.dump(out, f, indent=1, sort_keys=True)
	with open(a.out + ".used", "w") as f:
		f.write("".join(p + "\n" for p in sorted(res["used"])))
	print(json.dumps(out, sort_keys=True))
	return 1 if res["errors"] else 0


if __name__ == "__main__":
	raise SystemExit(main())
