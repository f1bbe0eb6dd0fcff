"""The SMTP half's evaluators: what a probe of each farm behaviour must
report, DANE against the farm's fixed keys, MTA-STS policies (RFC 8461).

Part of tools/sim/gen_sector.py (see its documentation).
"""


from sector.constants import (
    MTA_STS_MAX_AGE_LIMIT,
    MX_PATTERN_LABEL,
    TA_CHAIN_OK,
)
from sector.dns import farm_spki_sha256


# The farm's leaf for wrong_name servers (tools/farm/tls_contexts.h).
FARM_WRONG_NAME = "wrong-name.farm.sim"


def dane_matches(records, behaviour, hostname_ok):
    """Whether a farm server with `behaviour` that completed a handshake is
    authenticated by one of the TLSA `records` (RFC 7672, as
    scanner/tls/dane.h judges): DANE-EE 3 1 1 of the shared leaf key under
    any chain; DANE-TA 2 1 1 of the intermediate when the chain carries it
    and the leaf is valid now and for the name."""
    for r in records:
        spec = (r["usage"], r["selector"], r["matchingType"], r["data"])
        if spec == (3, 1, 1, farm_spki_sha256("leaf")):
            return True
        if (spec == (2, 1, 1, farm_spki_sha256("intermediate")) and
                behaviour not in TA_CHAIN_OK and hostname_ok):
            return True
    return False


def smtp_truth(behaviour, cert_names, probe_name, tlsa_records=None,
               tlsa_authenticated=False):
    """What a probe of a farm address with `behaviour` (tools/farm/
    smtp_session.cc, farm_connection.cc, tls_contexts.cc) under SNI and
    name `probe_name` must report: the SmtpProbe fields that behaviour fixes
    whatever the client's timing. A client that follows RFC 5321/3207 and
    offers TLS 1.0-1.3 (scanner/smtp/session.h) sees:
      silent        connects, no greeting: a timeout at BANNER
      endless_line  a greeting line that never ends: over the reply-line
                    cap at BANNER
      defer_421     421 greeting (deferred; the server closes)
      ehlo_502      502 to EHLO, 250 to HELO: no STARTTLS, no error
      huge_reply    an EHLO reply of ~10,000 lines: over a reply cap at EHLO
      no_starttls   no STARTTLS in EHLO: no error, no TLS
      starttls_refused   454 to STARTTLS (deferred)
      starttls_injection a reply in the same write as the 220 to STARTTLS:
                    refused before the handshake, at STARTTLS
      garbage_tls   bytes that are not TLS after the ClientHello: HANDSHAKE
      reset_handshake    half the server's first flight, then a reset:
                    HANDSHAKE
      the rest      a handshake; the chain and version as the farm builds
                    them: tls10_only negotiates TLS 1.0, the others TLS 1.3
                    (the farm's modern context allows 1.2-1.3); expired,
                    self_signed and missing_intermediate chains do not
                    validate, a wrong_name leaf names another host.
    After a handshake, the MX host's TLSA records (`tlsa_records`) are
    judged against the chain seen (RFC 7672): only an authenticated
    (`tlsa_authenticated`: DNSSEC-validated) answer counts, and without
    --dnssec-share none is.
    None is "absent" (check_sector.py): no error, or no TLS."""
    out = {"connected": True}
    if behaviour in ("silent", "endless_line"):
        out.update(bannerCode=0, starttlsOffered=False, starttlsCode=0,
                   deferred=False, tlsAttempted=False, tls=None,
                   error={"stage": "BANNER",
                          "kind": "timeout" if behaviour == "silent"
                                  else "reply_too_large"})
        return out
    if behaviour == "defer_421":
        out.update(bannerCode=421, starttlsOffered=False, starttlsCode=0,
                   deferred=True, tlsAttempted=False, tls=None,
                   error={"stage": "BANNER", "code": 421, "kind": "temporary"})
        return out
    out["bannerCode"] = 220
    if behaviour == "ehlo_502":
        out.update(ehloCode=502, heloUsed=True, starttlsOffered=False,
                   starttlsCode=0, deferred=False, tlsAttempted=False,
                   tls=None, error=None)
        return out
    if behaviour == "huge_reply":
        out.update(ehloCode=0, starttlsOffered=False, starttlsCode=0,
                   deferred=False, tlsAttempted=False, tls=None,
                   error={"stage": "EHLO", "kind": "reply_too_large"})
        return out
    out.update(ehloCode=250, heloUsed=False)
    if behaviour == "no_starttls":
        out.update(starttlsOffered=False, starttlsCode=0, deferred=False,
                   tlsAttempted=False, tls=None, error=None)
        return out
    out["starttlsOffered"] = True
    if behaviour == "starttls_refused":
        out.update(starttlsCode=454, deferred=True, tlsAttempted=False,
                   tls=None,
                   error={"stage": "STARTTLS", "code": 454, "kind": "temporary"})
        return out
    out.update(starttlsCode=220, deferred=False)
    if behaviour == "starttls_injection":
        out.update(tls=None, error={"stage": "STARTTLS",
                                    "kind": "starttls_injection"})
        return out
    if behaviour in ("garbage_tls", "reset_handshake"):
        out.update(tlsAttempted=True, tls=None, error={"stage": "HANDSHAKE"})
        if behaviour == "garbage_tls":
            out["error"]["kind"] = "handshake_failed"
        return out
    names = [FARM_WRONG_NAME] if behaviour == "wrong_name" else cert_names
    chain_ok = behaviour not in ("expired", "self_signed",
                                 "missing_intermediate")
    out.update(tlsAttempted=True, error=None, tls={
        "version": "TLSv1" if behaviour == "tls10_only" else "TLSv1.3",
        "certTrusted": chain_ok,
        "hostnameMatch": probe_name in names,
        "certExpired": behaviour == "expired",
        "leafKeyBits": 2048})  # the farm's leaves are RSA-2048
    if tlsa_records:
        out["tlsa"] = {"records": tlsa_records,
                       "authenticated": tlsa_authenticated,
                       "daneValid": tlsa_authenticated and dane_matches(
                           tlsa_records, behaviour, probe_name in names)}
    return out


def mx_pattern_valid(pattern):
    """RFC 8461 section 3.2: ["*."] Domain, A-labels."""
    if pattern.startswith("*."):
        pattern = pattern[2:]
    labels = pattern.split(".")
    return (0 < len(pattern) <= 253 and
            all(MX_PATTERN_LABEL.match(l) for l in labels))


def mx_pattern_matches(host, pattern):
    """RFC 8461 section 4.1: case-insensitive; "*.example.com" covers
    exactly one more label."""
    host, pattern = host.lower().rstrip("."), pattern.lower().rstrip(".")
    if pattern.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == pattern[2:]
    return host == pattern


def parse_mta_sts_policy(body):
    """(valid, mode, [mx patterns], max_age) of a policy body (RFC 8461
    section 3.2): "key: value" lines ended by LF or CRLF; version STSv1,
    mode and max_age exactly once; mx at least once unless mode is none.
    Only what the sim writes is told apart: known keys, no extensions."""
    seen, mx = {}, []
    for line in body.split("\n"):
        line = line.rstrip("\r").rstrip(" \t")
        if not line:
            continue
        key, colon, value = line.partition(":")
        if not colon or key not in ("version", "mode", "max_age", "mx"):
            return False, None, [], None
        value = value.strip(" \t")
        if key == "mx":
            if not mx_pattern_valid(value):
                return False, None, [], None
            mx.append(value)
        elif key in seen:
            return False, None, [], None
        else:
            seen[key] = value
    mode, max_age = seen.get("mode"), seen.get("max_age", "")
    valid = (seen.get("version") == "STSv1" and
             mode in ("enforce", "testing", "none") and
             max_age.isdigit() and len(max_age) <= 10 and
             int(max_age) <= MTA_STS_MAX_AGE_LIMIT and
             (bool(mx) or mode == "none"))
    if not valid:
        return False, None, [], None
    return True, mode, mx, int(max_age)
