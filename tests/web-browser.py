#!/usr/bin/env python3
# NAME
#	web-browser.py - a customer on a phone unsubscribes and comes back, in Chromium
# SYNOPSIS
#	web-browser.py --driver PORT --page URL --shots DIR --profile DIR
# DESCRIPTION
#	Drives headless Chromium through chromedriver (W3C WebDriver, plain
#	HTTP and JSON: no package beyond Python's standard library) with
#	JavaScript switched off for the pages, as a 360x740 phone screen;
#	clicks are real mouse events (DevTools Input domain), because
#	WebDriver's element click itself needs JavaScript in the page:
#	 1. opens URL (the unsubscribe page of a real link) and checks what
#	    a customer must see: the language, the mail that stops, the
#	    button, the English text, no horizontal scrolling, a label for
#	    every control, text and button contrast of at least 4.5:1;
#	 2. presses the button; the confirmation must say it is done and
#	    show the preference page: keeps a screenshot of it
#	    (DIR/web-confirmation.png, the test artifact) and prints
#	    "STEP unsubscribed" so the caller checks the store;
#	 3. waits for the caller's go (a line on standard input), ticks
#	    the promotion box again and saves: the page must say it is
#	    saved and show the box ticked; screenshot
#	    DIR/web-preferences-saved.png; prints "STEP resubscribed".
#	Screenshots of the unsubscribe page itself go to DIR too. Every wait
#	is bounded; any failed check exits 1 with the reason.
import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.request

WAIT = 20.0		# seconds for a page to show what it must
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"	# W3C WebDriver element reference
PHONE = {"width": 360, "height": 740, "pixelRatio": 2.0}


class Fail(Exception):
	pass


class Driver:
	def __init__(self, port):
		self.base = "http://127.0.0.1:%d" % port
		self.sid = None

	def call(self, method, path, body=None):
		data = json.dumps(body).encode() if body is not None else None
		req = urllib.request.Request(self.base + path, data=data, method=method,
					     headers={"Content-Type": "application/json"})
		try:
			with urllib.request.urlopen(req, timeout=60) as r:
				return json.load(r).get("value")
		except urllib.error.HTTPError as e:
			raise Fail("webdriver %s %s: %s" % (method, path, e.read()[:300]))

	def start(self, profile):
		args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
			"--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
			"--user-data-dir=" + profile, "--lang=vi"]
		caps = {"capabilities": {"alwaysMatch": {
			"browserName": "chrome",
			"goog:chromeOptions": {
				"binary": "/usr/bin/chromium", "args": args,
				"mobileEmulation": {"deviceMetrics": PHONE},
				"prefs": {"profile.managed_default_content_settings.javascript": 2}}}}}
		self.sid = self.call("POST", "/session", caps)["sessionId"]

	def s(self, path, method="GET", body=None):
		return self.call(method, "/session/%s%s" % (self.sid, path), body)

	def go(self, url):
		self.s("/url", "POST", {"url": url})

	def find(self, css, many=False):
		r = self.s("/elements" if many else "/element", "POST",
			   {"using": "css selector", "value": css})
		ids = [list(e.values())[0] for e in (r if many else [r])]
		return ids if many else ids[0]

	def text(self, el):
		return self.s("/element/%s/text" % el)

	def css(self, el, prop):
		return self.s("/element/%s/css/%s" % (el, prop))

	def attr(self, el, name):
		return self.s("/element/%s/attribute/%s" % (el, name))

	def click(self, el):
		"""A real mouse click at the middle of EL, as the input system sends it.

		WebDriver's own element click needs JavaScript in the page, and the
		point is that our pages work without it: so the element is
		scrolled into view and the press and release go through the
		DevTools input domain, like a person's."""
		ref = {ELEMENT: el}
		x, y = self.run("const r = arguments[0]; r.scrollIntoView({block: 'center'});"
				"const b = r.getBoundingClientRect();"
				"return [b.left + b.width / 2, b.top + b.height / 2];", [ref])
		for kind in ("mousePressed", "mouseReleased"):
			self.s("/goog/cdp/execute", "POST", {"cmd": "Input.dispatchMouseEvent", "params": {
				"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1}})

	def run(self, script, args=None):
		return self.s("/execute/sync", "POST", {"script": script, "args": args or []})

	def shot(self, path):
		with open(path, "wb") as f:
			f.write(base64.b64decode(self.s("/screenshot")))

	def page_text(self):
		return self.text(self.find("body"))

	def wait_text(self, needle):
		end = time.time() + WAIT
		while time.time() < end:
			try:
				if needle in self.page_text():
					return
			except Fail:
				pass
			time.sleep(0.2)
		raise Fail("the page never showed %r; it shows:\n%s" % (needle, self.page_text()[:800]))

	def quit(self):
		if self.sid:
			try:
				self.call("DELETE", "/session/" + self.sid)
			except Exception:
				pass


def rgba(v):
	v = v[v.index("(") + 1:v.index(")")].split(",")
	return [float(x) for x in v] + ([1.0] if len(v) == 3 else [])


def luminance(c):
	def ch(x):
		x /= 255.0
		return x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4
	return 0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])


def contrast(fg, bg):
	a, b = luminance(rgba(fg)), luminance(rgba(bg))
	return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def check(cond, what):
	if not cond:
		raise Fail(what)
	print("ok - " + what, flush=True)


def check_page_is_usable(d):
	"""What any of our pages must be for a customer on a phone."""
	check(d.attr(d.find("html"), "lang") == "vi", "the page is in Vietnamese (lang=vi)")
	check(len(d.find("[lang=en]", many=True)) > 0, "it has English too, marked lang=en")
	width = d.run("return document.documentElement.scrollWidth")
	inner = d.run("return window.innerWidth")
	check(width <= inner, "no horizontal scrolling on a %dpx phone (%s <= %s)"
	      % (PHONE["width"], width, inner))
	for box in d.find("input[type=checkbox]", many=True):
		bid = d.attr(box, "id")
		check(bid and d.find("label[for='%s']" % bid, many=True), "check box %s has a label" % bid)
	body = d.find("body")
	ratio = contrast(d.css(body, "color"), d.css(body, "background-color"))
	check(ratio >= 4.5, "text contrast %.1f:1 (>= 4.5)" % ratio)
	for b in d.find("button", many=True):
		ratio = contrast(d.css(b, "color"), d.css(b, "background-color"))
		check(ratio >= 4.5, "button contrast %.1f:1 (>= 4.5)" % ratio)
		check(d.text(b).strip() != "", "the button says what it does: %r" % d.text(b))
	check(d.run("return document.scripts.length") == 0, "no script in the page")


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--driver", type=int, required=True)
	ap.add_argument("--page", required=True)
	ap.add_argument("--shots", required=True)
	ap.add_argument("--profile", required=True)
	a = ap.parse_args()
	d = Driver(a.driver)
	try:
		d.start(a.profile)
		d.go(a.page)
		d.wait_text("Ngừng nhận email khuyến mãi")
		check("Hủy đăng ký" in d.run("return document.title"), "the title says unsubscribe")
		check("Stop receiving promotions" in d.page_text(), "the English text is below")
		check_page_is_usable(d)
		d.shot(a.shots + "/web-unsubscribe-page.png")
		d.click(d.find("button#unsubscribe"))
		d.wait_text("Đã xong")
		check("Tùy chọn email của Quý khách" in d.page_text(),
		      "the confirmation shows the preference page")
		check(d.attr(d.find("#c-promotion"), "checked") is None,
		      "promotion is no longer ticked")
		check(d.attr(d.find("#c-survey"), "checked") is not None, "survey still is")
		check("Lịch sử lựa chọn" in d.page_text() and "từ chối" in d.page_text(),
		      "the history shows the refusal")
		check_page_is_usable(d)
		d.shot(a.shots + "/web-confirmation.png")
		print("STEP unsubscribed", flush=True)
		if sys.stdin.readline().strip() != "go":
			raise Fail("the caller did not confirm the store")
		d.click(d.find("label[for='c-promotion']"))	# a tap on the words ticks the box
		d.click(d.find("button#save"))
		d.wait_text("Đã lưu lựa chọn")
		check(d.attr(d.find("#c-promotion"), "checked") is not None,
		      "promotion is ticked again after saving")
		check("đồng ý nhận" in d.page_text(), "the history shows the consent")
		d.shot(a.shots + "/web-preferences-saved.png")
		print("STEP resubscribed", flush=True)
	except Fail as e:
		print("FAIL: %s" % e, flush=True)
		try:
			d.shot(a.shots + "/web-failure.png")
		except Exception:
			pass
		return 1
	finally:
		d.quit()
	return 0


if __name__ == "__main__":
	sys.exit(main())
