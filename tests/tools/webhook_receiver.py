#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""A webhook receiver for tests: checks X-Huolto-Signature (HMAC-SHA256 of
the body under the secret) and keeps each delivery in OUT_DIR as
NNNN-valid.json or NNNN-invalid.json. While OUT_DIR/fail holds a number
above zero, it answers 503 and counts it down (a channel that is down).
When OUT_DIR/stall exists, the next delivery waits that many seconds
before it is answered (a slow channel); the file is removed.

usage: webhook_receiver.py PORT SECRET_FILE OUT_DIR
"""
import hashlib
import hmac
import http.server
import os
import sys
import threading
import time

MAX_BODY = 1 << 20


def main():
    port, secret_file, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(secret_file, "rb") as f:
        secret = f.read().split()[0]
    lock = threading.Lock()
    count = [0]

    class Handler(http.server.BaseHTTPRequestHandler):
        timeout = 10

        def log_message(self, fmt, *args):
            pass

        def answer(self, code):
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            if length > MAX_BODY:
                self.answer(413)
                return
            body = self.rfile.read(length)
            stall = os.path.join(out, "stall")
            if os.path.exists(stall):
                with open(stall) as f:
                    seconds = min(float(f.read().strip() or "0"), 60.0)
                os.remove(stall)
                time.sleep(seconds)
            with lock:
                fail = os.path.join(out, "fail")
                if os.path.exists(fail):
                    with open(fail) as f:
                        left = int(f.read().strip() or "0")
                    if left > 0:
                        with open(fail, "w") as f:
                            f.write(str(left - 1))
                        self.answer(503)
                        return
                want = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
                got = self.headers.get("X-Huolto-Signature", "")
                ok = hmac.compare_digest(want, got)
                count[0] += 1
                name = "%04d-%s.json" % (count[0], "valid" if ok else "invalid")
                with open(os.path.join(out, name + ".tmp"), "wb") as f:
                    f.write(body)
                os.rename(os.path.join(out, name + ".tmp"), os.path.join(out, name))
            self.answer(200 if ok else 401)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.serve_forever()


if __name__ == "__main__":
    main()
