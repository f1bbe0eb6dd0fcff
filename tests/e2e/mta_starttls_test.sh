#!/usr/bin/env bash
# mxscan scan against a REAL MTA: Debian's Postfix, run as a private
# instance on a free loopback port, with STARTTLS and a certificate of a
# test PKI (tools/certs:make_test_pki: root, intermediate, leaf for
# mx.mta.test); a real NSD (tools/sim/nsd_server.sh) serves mta.test with
# "MX 10 mx.mta.test." and "mx.mta.test A 127.0.0.1".
#
#   1. scan with the PKI's root as --ca-file: every SMTP and TLS field of
#      the record is checked against what we configured and generated
#      (banner, EHLO keywords before and after TLS, STARTTLS reply, chain
#      digests, validity, key) and against what Postfix itself logged (the
#      commands it received, its replies, the TLS version, cipher and key
#      exchange it negotiated); the scanner's EHLO name is in Postfix's log
#      and the session is exactly EHLO, STARTTLS, EHLO, QUIT: no MAIL FROM,
#      no mail;
#   2. the same scan with an unrelated root as --ca-file: certTrusted false
#      with a verifyError, everything else unchanged.
#
# The Postfix instance (tools/sim/postfix_server.sh) lives in a folder of
# its own: its main.cf/master.cf, queue, data folder, pid and lock files
# and log file are all there; nothing under /etc or /var is written, and
# it stops on exit, whatever happens. It never delivers (only smtpd runs,
# every RCPT is rejected). It needs root (Postfix's master starts as root
# and runs its daemons as the "postfix" user of the package) and does not
# bind port 25, so a system MTA may run beside it.
#
# Run by hand after `bazel build //scanner:mxscan //tools/certs:make_test_pki`:
#   tests/e2e/mta_starttls_test.sh
# Environment: MTA_KEEP=1 keeps the working folder. Under Bazel a failure
# leaves Postfix's log, its main.cf and the records in the test's
# undeclared outputs (bazel-testlogs/tests/e2e/mta_starttls_test/test.outputs).
set -euo pipefail
# Postfix and NSD live in /usr/sbin, which Bazel's test PATH may lack.
export PATH="$PATH:/usr/sbin:/sbin"

ROOT="${TEST_SRCDIR:-}/${TEST_WORKSPACE:-}"
CHECKOUT=$(cd "$(dirname "$0")/../.." && pwd)
[[ -f "$ROOT/tools/sim/nsd_server.sh" ]] || ROOT=$CHECKOUT
SIM="$ROOT/tools/sim"
MXSCAN=${MXSCAN:-$ROOT/scanner/mxscan}
[[ -x "$MXSCAN" ]] || MXSCAN=$CHECKOUT/bazel-bin/scanner/mxscan
MAKE_PKI=${MAKE_PKI:-$ROOT/tools/certs/make_test_pki}
[[ -x "$MAKE_PKI" ]] || MAKE_PKI=$CHECKOUT/bazel-bin/tools/certs/make_test_pki

fail() { echo "FAIL: $*" >&2; exit 1; }
for b in "$MXSCAN" "$MAKE_PKI"; do
  [[ -x "$b" ]] || fail "$b not found (bazel build //scanner:mxscan //tools/certs:make_test_pki)"
done
command -v postfix >/dev/null || fail "postfix is not installed (tools/install_deps.sh)"
id postfix >/dev/null 2>&1 || fail "no 'postfix' user (the postfix package makes it)"
[[ $(id -u) -eq 0 ]] || fail "Postfix's master must start as root; run this test as root"

# The fixed banner text after "220 mx.mta.test ESMTP ", and the SIZE we set.
BANNER_TEXT="mxscan-e2e-postfix ready"
SIZE_LIMIT=20480000
EHLO_NAME=scanner.mta.test

# Under /tmp, not Bazel's TEST_TMPDIR: Postfix's master opens its lock file
# in data_directory as the "postfix" user, who cannot walk into /root
# (mode 700), where Bazel's output base lives.
TMP=$(mktemp -d /tmp/mxscan-mta-test.XXXXXX)
chmod 755 "$TMP"
PF=$TMP/postfix
mkdir -p "$TMP/nsd" "$TMP/pki" "$TMP/other-pki" "$PF"

SCAN_PID=
cleanup() {
  local status=$?
  set +e  # every step runs, whatever fails
  if [[ -n $SCAN_PID ]]; then
    # timeout(1) passes SIGTERM on to the scan.
    kill -TERM "$SCAN_PID" 2>/dev/null
    wait "$SCAN_PID" 2>/dev/null
  fi
  if [[ $status -ne 0 && -n ${TEST_UNDECLARED_OUTPUTS_DIR:-} ]]; then
    for f in postfix/maillog postfix/conf/main.cf postfix/conf/master.cf \
             run1.jsonl run2.jsonl scan1.log scan2.log; do
      [[ -f $TMP/$f ]] && cp "$TMP/$f" "$TEST_UNDECLARED_OUTPUTS_DIR/${f//\//-}"
    done
  fi
  "$SIM/postfix_server.sh" stop "$PF"
  "$SIM/nsd_server.sh" stop "$TMP/nsd" >/dev/null 2>&1
  if [[ ${MTA_KEEP:-0} == 1 ]]; then
    echo "kept $TMP"
  else
    rm -rf "$TMP"
  fi
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # so that a timeout still runs cleanup

echo "== test PKI: root, intermediate, EC P-256 leaf for mx.mta.test"
"$MAKE_PKI" --out-dir "$TMP/pki" --name mx.mta.test --key ec
# An unrelated root (its own leaf is not used) for the second scan.
"$MAKE_PKI" --out-dir "$TMP/other-pki" --name mx.mta.test --key ec
chmod 600 "$TMP/pki/key.pem"  # read by smtpd while still root

echo "== DNS: NSD serving mta.test"
cat >"$TMP/mta.test.zone" <<'EOF'
$ORIGIN mta.test.
$TTL 300
@   IN SOA ns.mta.test. hostmaster.mta.test. 1 3600 600 86400 300
@   IN NS  ns.mta.test.
@   IN MX  10 mx.mta.test.
ns  IN A   127.0.0.1
mx  IN A   127.0.0.1
EOF
printf '%s\n' "// Public suffixes of mta_starttls_test." \
  "// ===BEGIN ICANN DOMAINS===" "test" "// ===END ICANN DOMAINS===" >"$TMP/psl.dat"
DNS_PORT=$(python3 "$SIM/free_port.py")
"$SIM/nsd_server.sh" start "$TMP/nsd" "$DNS_PORT" mta.test "$TMP/mta.test.zone"

echo "== Postfix: private instance in $PF"
SMTP_PORT=$(python3 "$SIM/free_port.py")
while [[ $SMTP_PORT == "$DNS_PORT" || $SMTP_PORT == 25 ]]; do
  SMTP_PORT=$(python3 "$SIM/free_port.py")
done
MASTER_PID=$("$SIM/postfix_server.sh" start "$PF" "$SMTP_PORT" mx.mta.test \
  "$TMP/pki/key.pem" "$TMP/pki/chain.pem" \
  'mydomain = mta.test' 'myorigin = $myhostname' \
  "smtpd_banner = \$myhostname ESMTP $BANNER_TEXT" \
  "message_size_limit = $SIZE_LIMIT" \
  '# Visible in EHLO: VRFY is not offered.' 'disable_vrfy_command = yes' \
  'smtpd_tls_loglevel = 1' \
  '# The whole SMTP dialogue of the scanner in the log.' \
  'debug_peer_list = 127.0.0.1' 'debug_peer_level = 2') ||
  fail "Postfix did not start"
echo "Postfix master $MASTER_PID on 127.0.0.1:$SMTP_PORT, NSD on 127.0.0.1:$DNS_PORT"

# Waits until Postfix's log holds N "disconnect from" lines (postlogd
# writes asynchronously), at most ~5 s.
wait_disconnects() {
  for _ in $(seq 1 50); do
    [[ $(grep -c 'smtpd\[[0-9]*\]: disconnect from' "$PF/maillog" || true) -ge $1 ]] && return 0
    sleep 0.1
  done
  fail "Postfix's log shows fewer than $1 finished sessions"
}

# scan N CA_FILE: one mxscan scan of mta.test, dumped to runN.jsonl, and
# the part of Postfix's log that it made, in logN.
scan() {
  local n=$1 ca=$2 offset status=0
  offset=$(stat -c %s "$PF/maillog")
  # In the background so that a SIGTERM to this script is handled at once
  # (bash runs traps only between foreground commands, but it interrupts
  # `wait`); cleanup stops a scan still running.
  timeout -s KILL 40 "$MXSCAN" scan --input <(echo mta.test) --output "$TMP/out$n" \
    --resolver "127.0.0.1:$DNS_PORT" --smtp-port "$SMTP_PORT" --ca-file "$ca" \
    --ehlo-name "$EHLO_NAME" --psl-file "$TMP/psl.dat" --no-progress \
    2>"$TMP/scan$n.log" &
  SCAN_PID=$!
  wait "$SCAN_PID" || status=$?
  SCAN_PID=
  cat "$TMP/scan$n.log"
  [[ $status -eq 0 ]] || fail "mxscan scan exited with status $status"
  "$MXSCAN" dump "$TMP/out$n" --format jsonl >"$TMP/run$n.jsonl"
  wait_disconnects "$n"
  tail -c +$((offset + 1)) "$PF/maillog" >"$TMP/log$n"
}

echo "== scan 1: --ca-file is the test PKI's root"
scan 1 "$TMP/pki/ca.pem"
echo "== scan 2: --ca-file is an unrelated root"
scan 2 "$TMP/other-pki/ca.pem"

echo "== checking the records against the PKI, the configuration and Postfix's log"
# The leaf's validity as openssl reads it (the first certificate of chain.pem).
openssl x509 -in "$TMP/pki/chain.pem" -noout -startdate -enddate >"$TMP/leaf-dates"
python3 - "$TMP" "$BANNER_TEXT" "$SIZE_LIMIT" "$EHLO_NAME" <<'PY'
import base64, calendar, hashlib, json, os, re, sys, time

tmp, banner_text, size_limit, ehlo_name = sys.argv[1:5]
failures = []


def check(what, got, want):
    ok = got == want
    print(f"  {'ok ' if ok else 'BAD'} {what}: {json.dumps(got)}"
          + ("" if ok else f" (want {json.dumps(want)})"))
    if not ok:
        failures.append(what)


def pem_ders(path):
    text = open(path).read()
    blocks = re.findall(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----",
                        text, re.S)
    return [base64.b64decode("".join(b.split())) for b in blocks]


# What we generated: chain.pem is the leaf then the intermediate, as Postfix
# presents them; the digests are over each certificate's DER.
chain = [hashlib.sha256(d).hexdigest() for d in pem_ders(os.path.join(tmp, "pki/chain.pem"))]
assert len(chain) == 2, f"chain.pem holds {len(chain)} certificates, want 2"
root = pem_ders(os.path.join(tmp, "pki/ca.pem"))
assert len(root) == 1 and hashlib.sha256(root[0]).hexdigest() not in chain
dates = dict(line.strip().split("=", 1) for line in open(os.path.join(tmp, "leaf-dates")))
epoch = lambda s: calendar.timegm(time.strptime(s, "%b %d %H:%M:%S %Y GMT"))
not_before, not_after = epoch(dates["notBefore"]), epoch(dates["notAfter"])


def postfix_session(log_path):
    """What Postfix logged of one session: the commands it received, its
    replies (by command), the TLS summary and the disconnect summary."""
    lines = open(log_path).read().splitlines()
    peer = r"unknown\[127\.0\.0\.1\]"
    commands, replies, tls, disconnect, connects = [], [[]], None, None, 0
    for line in lines:
        if re.search(r"smtpd\[\d+\]: connect from " + peer + "$", line):
            connects += 1
        m = re.search(r"smtpd\[\d+\]: < " + peer + r": (.*)$", line)
        if m:
            commands.append(m.group(1))
            replies.append([])
        m = re.search(r"smtpd\[\d+\]: > " + peer + r": (.*)$", line)
        if m:
            replies[-1].append(m.group(1))
        m = re.search(r"TLS connection established from " + peer +
                      r": (\S+) with cipher (\S+) .*key-exchange (\S+)", line)
        if m:
            tls = m.groups()
        m = re.search(r"smtpd\[\d+\]: disconnect from " + peer + r" (.*)$", line)
        if m:
            disconnect = m.group(1)
    return dict(lines=lines, connects=connects, commands=commands,
                replies=replies, tls=tls, disconnect=disconnect)


def keywords(reply):
    # A multi-line 250 reply to EHLO: the first line greets, each other
    # line is one keyword with its parameters.
    assert reply and all(r.startswith(("250-", "250 ")) for r in reply), reply
    return [r[4:] for r in reply[1:]]


def check_run(n, ca_trusted):
    print(f"scan {n}:")
    records = [json.loads(l) for l in open(os.path.join(tmp, f"run{n}.jsonl"))]
    check("records", len(records), 1)
    r = records[0]
    check("domain", r.get("domain"), "mta.test")
    check("status", r.get("status"), "OK")
    mx = r.get("mx", [])
    check("MX hosts", [(m.get("host"), m.get("preference")) for m in mx],
          [("mx.mta.test", 10)])
    addresses = mx[0].get("addresses", []) if mx else []
    check("MX addresses", [a.get("ip") for a in addresses], ["127.0.0.1"])
    s = addresses[0].get("smtp", {}) if addresses else {}
    t = s.get("tls", {})
    log = postfix_session(os.path.join(tmp, f"log{n}"))

    # The session as Postfix saw it: one connection, EHLO with our name,
    # STARTTLS, EHLO again inside TLS, QUIT; never MAIL FROM.
    check("Postfix: connections", log["connects"], 1)
    check("Postfix: commands received", log["commands"],
          [f"EHLO {ehlo_name}", "STARTTLS", f"EHLO {ehlo_name}", "QUIT"])
    check("Postfix: disconnect summary", log["disconnect"],
          "ehlo=2 starttls=1 quit=1 commands=4")
    check("Postfix: MAIL/RCPT/DATA lines",
          [l for l in log["lines"] if re.search(
              r"MAIL FROM|RCPT TO|: < [^ ]+: (DATA|BDAT)|queued as|from=<", l, re.I)], [])
    check("Postfix: fatal/panic/error lines",
          [l for l in log["lines"] if re.search(r": (fatal|panic|error):", l)], [])
    greeting, ehlo1, starttls, ehlo2 = (log["replies"] + [[]] * 5)[:4]
    want_ehlo = keywords(ehlo1)
    want_ehlo_tls = keywords(ehlo2)
    # What we configured shows in Postfix's own replies.
    check("Postfix: banner", greeting, [f"220 mx.mta.test ESMTP {banner_text}"])
    check("Postfix: STARTTLS, PIPELINING, SIZE offered, VRFY not",
          ("STARTTLS" in want_ehlo, "PIPELINING" in want_ehlo,
           f"SIZE {size_limit}" in want_ehlo, "VRFY" in want_ehlo),
          (True, True, True, False))
    check("Postfix: no STARTTLS inside TLS", "STARTTLS" in want_ehlo_tls, False)
    check("Postfix: STARTTLS reply", starttls[:1], ["220 2.0.0 Ready to start TLS"])

    # The probe record.
    check("smtp.connected", s.get("connected"), True)
    check("smtp.bannerCode", s.get("bannerCode"), 220)
    check("smtp.banner", s.get("banner"), f"mx.mta.test ESMTP {banner_text}")
    check("smtp.banner has the fixed text", banner_text in s.get("banner", ""), True)
    check("smtp.ehloCode", s.get("ehloCode"), 250)
    check("smtp.heloUsed", s.get("heloUsed"), False)
    check("smtp.ehloExtensions (as Postfix sent them)", s.get("ehloExtensions"), want_ehlo)
    check("smtp.starttlsOffered", s.get("starttlsOffered"), True)
    check("smtp.starttlsCode", s.get("starttlsCode"), 220)
    check("smtp.tlsAttempted", s.get("tlsAttempted"), True)
    check("smtp.error", s.get("error"), None)
    check("smtp.deferred", s.get("deferred"), False)
    check("smtp.earlyDataBytes", int(s.get("earlyDataBytes", -1)), 0)
    check("smtp.quitCode", s.get("quitCode"), 221)
    # What a sender can use: the EHLO inside TLS, as Postfix sent it.
    f = s.get("features", {})
    for key, keyword in [("pipelining", "PIPELINING"), ("chunking", "CHUNKING"),
                         ("smtputf8", "SMTPUTF8"), ("eightbitmime", "8BITMIME"),
                         ("requiretls", "REQUIRETLS")]:
        check(f"smtp.features.{key}", f.get(key, False), keyword in want_ehlo_tls)
    check("smtp.features.maxSize", int(f.get("maxSize", 0)), int(size_limit))
    # The software family from the banner ("... mxscan-e2e-postfix ready").
    check("smtp.software", s.get("software"), "Postfix")

    # TLS: Postfix 3.7 on OpenSSL 3.0 and the scanner's BoringSSL client
    # both enable TLS 1.3, so TLS 1.3 is what they must agree on. The
    # cipher and group must be what Postfix says it negotiated.
    check("tls.version", t.get("version"), "TLSv1.3")
    check("tls.cipher is a TLS 1.3 suite", t.get("cipher") in (
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
        "TLS_CHACHA20_POLY1305_SHA256"), True)
    check("tls.group is a named group", t.get("group") in (
        "X25519", "P-256", "P-384", "P-521"), True)
    check("tls (version, cipher, group) as Postfix logged them",
          (t.get("version"), t.get("cipher"), t.get("group")),
          tuple(log["tls"]) if log["tls"] else None)
    check("tls.certChainSha256 (leaf, intermediate of chain.pem)",
          t.get("certChainSha256"), chain)
    check("tls.certTrusted", t.get("certTrusted"), ca_trusted)
    if ca_trusted:
        check("tls.verifyError", t.get("verifyError", ""), "")
    else:
        verify_error = t.get("verifyError", "")
        check("tls.verifyError present", bool(verify_error), True)
        print(f"      verifyError: {verify_error!r}")
    check("tls.hostnameMatch", t.get("hostnameMatch"), True)
    check("tls.certExpired", t.get("certExpired"), False)
    check("tls.certNotBefore", int(t.get("certNotBefore", 0)), not_before)
    check("tls.certNotAfter", int(t.get("certNotAfter", 0)), not_after)
    check("tls.leafKeyType", t.get("leafKeyType"), "EC")
    check("tls.leafKeyBits", t.get("leafKeyBits"), 256)
    # leafKeyCurve (TlsInfo field 15) is not filled by the scanner yet; once
    # it is, it must name P-256.
    if t.get("leafKeyCurve"):
        check("tls.leafKeyCurve", t.get("leafKeyCurve") in ("P-256", "prime256v1"), True)
    check("tls.resumed (a new scanner process)", t.get("resumed"), False)
    check("tls.leafDnsNames", t.get("leafDnsNames"), ["mx.mta.test"])
    check("tls.ehloExtensionsTls (as Postfix sent them)", t.get("ehloExtensionsTls"), want_ehlo_tls)
    check("tls.ehloExtensionsTls without STARTTLS",
          "STARTTLS" in (t.get("ehloExtensionsTls") or ["STARTTLS"]), False)
    return s


s1 = check_run(1, True)
s2 = check_run(2, False)
# With the unrelated root only the trust verdict may change.
same = lambda s: {k: v for k, v in s.items() if k not in ("durationMs", "tls")}
same_tls = lambda s: {k: v for k, v in s.get("tls", {}).items()
                      if k not in ("certTrusted", "verifyError")}
print("scan 2 against scan 1:")
for k in sorted(set(same(s1)) | set(same(s2))):
    if same(s1).get(k) != same(s2).get(k):
        check(f"smtp.{k} unchanged", same(s2).get(k), same(s1).get(k))
for k in sorted(set(same_tls(s1)) | set(same_tls(s2))):
    if same_tls(s1).get(k) != same_tls(s2).get(k):
        check(f"tls.{k} unchanged", same_tls(s2).get(k), same_tls(s1).get(k))
if same(s1) == same(s2) and same_tls(s1) == same_tls(s2):
    print("  ok  every field but certTrusted, verifyError (and durationMs) is unchanged")

if failures:
    sys.exit(f"FAIL: {len(failures)} checks failed: " + ", ".join(failures))
PY
echo "PASS: mxscan's record of a real Postfix STARTTLS session matches the PKI, the configuration and Postfix's log"
