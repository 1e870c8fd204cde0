#!/usr/bin/env python3
"""A small LSP client for tests: starts a clangd, opens one file, waits for
its diagnostics, optionally asks for code actions, and prints what it got as
lines FileCheck can read:

  diagnostic <code> <line>:<col>-<line>:<col> <message>
  related <line>:<col> <message>
  action <title> <newText>
  latency-ms <n>

Usage: lsp_client.py CLANGD FILE [--code-action-for CODE] [--timeout S] [-- CLANGD ARGS]
"""
import json
import os
import subprocess
import sys
import threading
import time


class Client:
    def __init__(self, argv):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.next_id = 1
        self.messages = []
        self.cv = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    return
                line = line.decode().strip()
                if not line:
                    break
                k, v = line.split(":", 1)
                headers[k.lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            msg = json.loads(body)
            with self.cv:
                self.messages.append(msg)
                self.cv.notify_all()

    def send(self, method, params, request=True):
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            msg["id"] = self.next_id
            self.next_id += 1
        data = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.proc.stdin.flush()
        return msg.get("id")

    def wait(self, pred, timeout):
        deadline = time.time() + timeout
        with self.cv:
            while True:
                for m in self.messages:
                    if pred(m):
                        return m
                left = deadline - time.time()
                if left <= 0:
                    return None
                self.cv.wait(left)


def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        i = args.index("--")
        args, extra = args[:i], args[i + 1:]
    clangd, path = args[0], os.path.abspath(args[1])
    action_for = None
    timeout = 60.0
    if "--code-action-for" in args:
        action_for = args[args.index("--code-action-for") + 1]
    if "--timeout" in args:
        timeout = float(args[args.index("--timeout") + 1])
    uri = "file://" + path
    root = "file://" + os.path.dirname(path)
    c = Client([clangd, "--log=error"] + extra)
    rid = c.send("initialize", {"processId": os.getpid(), "rootUri": root, "capabilities": {
        "textDocument": {"publishDiagnostics": {"relatedInformation": True},
                         "codeAction": {"codeActionLiteralSupport": {
                             "codeActionKind": {"valueSet": ["quickfix"]}}}}}})
    if not c.wait(lambda m: m.get("id") == rid, timeout):
        print("error: no initialize response")
        return 1
    c.send("initialized", {}, request=False)
    text = open(path).read()
    start = time.time()
    c.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "cpp",
                                                     "version": 1, "text": text}}, request=False)
    pub = c.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                 and m["params"]["uri"] == uri, timeout)
    if not pub:
        print("error: no diagnostics published")
        return 1
    print("latency-ms %d" % int((time.time() - start) * 1000))
    diags = pub["params"]["diagnostics"]
    for d in sorted(diags, key=lambda d: (d["range"]["start"]["line"], d["range"]["start"]["character"])):
        r = d["range"]
        print("diagnostic %s %d:%d-%d:%d %s" % (d.get("code", "-"), r["start"]["line"] + 1,
              r["start"]["character"] + 1, r["end"]["line"] + 1, r["end"]["character"] + 1,
              d["message"].splitlines()[0]))
        for rel in d.get("relatedInformation", []):
            rs = rel["location"]["range"]["start"]
            print("related %d:%d %s" % (rs["line"] + 1, rs["character"] + 1, rel["message"]))
    if action_for:
        target = [d for d in diags if d.get("code") == action_for]
        if target:
            rid = c.send("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                     "range": target[0]["range"],
                                                     "context": {"diagnostics": target}})
            resp = c.wait(lambda m: m.get("id") == rid, timeout)
            for a in (resp or {}).get("result") or []:
                edits = []
                for changes in (a.get("edit", {}).get("changes", {}) or {}).values():
                    edits += [e["newText"] for e in changes]
                for dc in a.get("edit", {}).get("documentChanges", []) or []:
                    edits += [e["newText"] for e in dc.get("edits", [])]
                print("action %s %s" % (a.get("title", "").splitlines()[0], " | ".join(edits)))
    rid = c.send("shutdown", None)
    c.wait(lambda m: m.get("id") == rid, 10)
    c.send("exit", None, request=False)
    try:
        c.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        c.proc.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
