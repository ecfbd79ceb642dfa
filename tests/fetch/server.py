#!/usr/bin/python3
"""Scripted loopback HTTP server for cfsim's fetcher tests (tests/sim/fetch_test.cpp).

usage: server.py [SCRIPT.json LOG.jsonl]

Binds 127.0.0.1 on a port the OS chooses and prints "PORT <n>" on stdout. The script:

  {"routes": [{"method": "GET", "path": "/login",
               "responses": [{"status": 200, "headers": {"Retry-After": "7"},
                              "body": "text" | "json": {...} | "body_file": "em_past_range.json",
                              "delay_s": 0.0}, ...]}]}

A request is matched on method and path (the query is ignored); each match answers with the
route's next response, and the last one repeats. body_file is relative to this folder. An
unmatched request gets 404. Every request is appended to the log *before* it is answered, as
{"method", "path", "query", "headers": [[name, value], ...], "body"}, so the log is complete by
the time the client sees the answer.

Control over stdin, so that one process serves many tests: each line is a JSON object
{"routes": [...], "log": "/path/log.jsonl"} that replaces the routes, resets the answer counters
and switches the log; the server answers "OK" on stdout. End of stdin (the test process exited)
stops the server, as does SIGTERM. Only the standard library.
"""
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    lock = threading.Lock()
    state = {"routes": [], "served": [], "log": None}

    def load(routes, log_path):
        with lock:
            if state["log"]:
                state["log"].close()
            state["routes"] = routes
            state["served"] = [0] * len(routes)
            state["log"] = open(log_path, "a", encoding="utf-8")

    if len(sys.argv) == 3:
        with open(sys.argv[1], encoding="utf-8") as f:
            load(json.load(f)["routes"], sys.argv[2])

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out as two writes

        def log_message(self, *args):  # quiet: the JSONL log is the record
            pass

        def handle_any(self):
            url = urllib.parse.urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            entry = {"method": self.command, "path": url.path, "query": url.query,
                     "headers": [[k, v] for k, v in self.headers.items()], "body": body}
            with lock:
                if state["log"]:
                    state["log"].write(json.dumps(entry) + "\n")
                    state["log"].flush()
                response = None
                for i, route in enumerate(state["routes"]):
                    if route["method"] == self.command and route["path"] == url.path:
                        rs = route["responses"]
                        response = rs[min(state["served"][i], len(rs) - 1)]
                        state["served"][i] += 1
                        break
            if response is None:
                response = {"status": 404, "json": {"error": "no route for " + url.path}}
            if response.get("delay_s"):
                time.sleep(response["delay_s"])
            if "body_file" in response:
                with open(os.path.join(HERE, response["body_file"]), "rb") as f:
                    data = f.read()
            elif "json" in response:
                data = json.dumps(response["json"]).encode("utf-8")
            else:
                data = response.get("body", "").encode("utf-8")
            try:
                self.send_response(response.get("status", 200))
                headers = {"Content-Type": "application/json"}
                headers.update(response.get("headers", {}))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout tests)

        do_GET = handle_any
        do_POST = handle_any

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    for line in sys.stdin:
        if line.strip():
            command = json.loads(line)
            load(command["routes"], command["log"])
            print("OK", flush=True)
    os._exit(0)


if __name__ == "__main__":
    main()
