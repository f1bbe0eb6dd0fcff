"""The simulated sector's fixed choices: zones and suffixes, providers, the
shares and weights of every posture, the SMTP behaviours.

Part of tools/sim/gen_sector.py (see its documentation).
"""

import os
import re

TTL = 3600
# Public suffixes of the sim (psl.dat). provider.sim is in the list's
# private section, as hosting platforms are in the real list: each mail
# provider under it (bigmail.provider.sim, ...) is its own organisational
# domain, so statistics tell the providers apart.
ICANN_SUFFIXES = ("sim", "gov.sim", "council.sim", "nhs.sim", "school.sim")
PRIVATE_SUFFIXES = ("provider.sim",)
PSL_SUFFIXES = ICANN_SUFFIXES + PRIVATE_SUFFIXES
ZONES = ("sim", "gov.sim", "council.sim", "nhs.sim", "school.sim",
         "provider.sim")
# The DNS root, as a zone name: a sector of real names (--names) serves it,
# delegating sim and the names' top-level domains.
ROOT = "."

# The selectors a scan asks about when --dkim-selectors is not given: a copy
# of kDefaultDkimSelectors in scanner/checks/dkim/default_selectors.h. The
# truth's dkim lists the keys found under these; keys are published only
# under selectors that were also in the list's previous version
# (scanner/checks/default_dkim_selectors.h). tests/sim/sector_dns_test.sh
# checks that every selector the truth names is in the scanner's list.
DEFAULT_DKIM_SELECTORS = (
    "google", "selector1", "selector2", "k1", "k2", "k3", "mandrill", "s1",
    "s2", "default", "dkim", "mail", "smtp", "everlytic", "mxvault",
    "protonmail", "fm1", "zoho", "cm", "mailjet")
# Selectors self-hosted domains publish keys under.
SELF_DKIM_SELECTORS = ("default", "dkim", "mail", "k1", "k2", "selector1",
                       "s1", "s2", "smtp")
# A selector no scan guesses: keys only there leave _domainkey existing.
PRIVATE_DKIM_SELECTOR = "sim2024"

# Real public keys, generated once with
#   openssl genrsa 2048 | openssl rsa -pubout      (and 1024)
#   openssl genpkey -algorithm ed25519 | openssl pkey -pubout -outform DER
# (the last 32 bytes of the DER, base64). The private halves were discarded.
RSA2048_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqjPqxQfUFeso1vsmyo2ychGUOYWM"
    "CR8q8y6l4qw72Ly6tFIaB1jrr+xrgvQNlYMPHv7bcTAOi12+opo+81HgJrgo5V7yWmnjq2fO"
    "DNZsrRIVeLGOsbhzlZXvQVQJDubYCCBLfRz1baVvf0HQIbSGsDcZHqKpKyanRluv42W97qof"
    "Jlpf7tOzIZcgec3ieSVKP2Wby0Hjpu/ZH4QAzpRGGB6YCrJj9lQz28ICIDzWAhUpZVdNS2Jj"
    "hNrnnZDeTzbe5mu7BoUdi/Q4mo4wDV0bKc2h++NCjM7yUvPzsDif+dQ0yurrUJpn5JjbFyQy"
    "gr4pZbRfBxUqjKwkr8EX9tjEmwIDAQAB")
RSA1024_KEY = (
    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDSR8glUmCgk7ynNpaSClzGva4/OZLM7pxb"
    "8Fu6zjjKmZOOFWWq7xP/QjuVgQFEEUqEtEPklXQpLt+uVIg4zyfh4Ftf+fI61h/M15bK+un4"
    "0xty3t2+2zFS3n/9+5OUppsRRic9U25miZN67sy8Au0o72HOXFEa1MP6pKxQw0QPQwIDAQAB")
ED25519_KEY = "99oeFYzLj+7CmB8PxNTlIufZ0iIHwrphySojbWGAkAs="

SECTORS = (
    # sector, zone, share of the domains, name stems
    ("central government", "gov.sim", 0.15,
     ("transport", "treasury", "justice", "defence", "revenue", "statistics",
      "land-registry", "met-office", "companies-house", "environment-agency",
      "food-standards", "courts", "culture", "energy", "work-pensions")),
    ("local government", "council.sim", 0.30,
     ("ashford", "brightwell", "carrow", "dunmere", "eastleigh", "farnley",
      "glenmoor", "harwood", "ivybridge", "kettleby", "lowfield", "marston",
      "northam", "oakridge", "pellston", "queensbury", "redhill", "stanmore")),
    ("health", "nhs.sim", 0.25,
     ("general-hospital", "health-trust", "ambulance", "mental-health",
      "community-care", "surgery", "gp-practice", "childrens-hospital",
      "dental", "pharmacy")),
    ("education", "school.sim", 0.30,
     ("primary", "academy", "high-school", "college", "university",
      "grammar", "infant-school", "sixth-form", "learning-trust")),
)
# Unicode stems for IDN names (NFC, lowercase, PVALID in IDNA2008, and the
# same under UTS 46 non-transitional mapping): their A-label is plain
# RFC 3492 Punycode.
IDN_STEMS = ("münchen", "zürich", "malmö", "ålesund", "tromsø", "göteborg",
             "café", "señora", "kraków", "düsseldorf")
SUB_LABELS = ("it", "digital", "planning", "hr", "alerts", "news", "careers",
              "events", "research", "library", "estates", "finance")
INVALID_NAMES = ("bad..name.gov.sim", "has space.council.sim",
                 "exclaim!.nhs.sim", "x" * 64 + ".school.sim")

MAILHOST = "mailhost"
PROVIDERS = {
    # name: MX set, SPF record name, DNS lookups an include of it costs,
    # DKIM selectors its customers publish, share of all domains
    "bigmail": {
        "mx": ((1, "aspmx.bigmail.provider.sim"),
               (5, "alt1.aspmx.bigmail.provider.sim"),
               (5, "alt2.aspmx.bigmail.provider.sim"),
               (10, "alt3.aspmx.bigmail.provider.sim"),
               (10, "alt4.aspmx.bigmail.provider.sim")),
        "spf": "_spf.bigmail.provider.sim", "lookups": 4,
        "dkim": ("google",), "share": 0.17},
    "msmail": {
        "mx": ((0, "mail.protection.msmail.provider.sim"),),
        "spf": "spf.protection.msmail.provider.sim", "lookups": 2,
        "dkim": ("selector1", "selector2"), "share": 0.12},
    "govmail": {
        "mx": ((10, "mx1.govmail.provider.sim"),
               (20, "mx2.govmail.provider.sim")),
        "spf": "_spf.govmail.provider.sim", "lookups": 3,
        "dkim": ("s1", "s2"), "share": 0.08},
    MAILHOST: {
        "mx": ((10, "mx.mailhost.provider.sim"),
               (20, "mx2.mailhost.provider.sim")),
        "spf": "_spf.mailhost.provider.sim", "lookups": 1,
        "dkim": ("default",), "share": 0.03},
}
NEWSLETTERS_SPF = "_spf.newsletters.provider.sim"
NO_SPF_INCLUDE = "_spf.oldhost.provider.sim"  # has a TXT, but no SPF record
REPORTS_DEST = "reports.provider.sim"         # external DMARC rua destination

# Shares of all input lines.
NX_SHARE = 0.02
SUBDOMAIN_SHARE = 0.04
IDN_SHARE = 0.003
MIXED_CASE_SHARE = 0.008
TRAILING_DOT_SHARE = 0.008
# Mail setups of the existing domains (the providers' shares are above).
NULL_MX_SHARE = 0.02
IMPLICIT_MX_SHARE = 0.03
# Within self-hosted domains.
CNAME_MX_SHARE = 0.018
DEAD_MX_SHARE = 0.018
TLSA_SHARE = 0.08

# DNSSEC (--dnssec-share S): the sim's root (sim), the sector zones and
# provider.sim are signed; every registered domain becomes a zone of its
# own, signed with probability S, else an insecure delegation. A signed
# zone is broken with these probabilities (sign_sector.py makes the damage;
# a validating resolver answers SERVFAIL for every name in it):
DNSSEC_BOGUS_KINDS = (("bogus-expired", 0.02),   # signatures expired
                      ("bogus-ds", 0.02),        # the DS matches no DNSKEY
                      ("bogus-no-rrsig", 0.02))  # RRSIGs stripped
# Of the signed zones that publish TLSA: the TLSA RRsets' RRSIGs are
# missing ("bogus-tlsa": the MX answer validates, the TLSA answer is bogus).
TLSA_BOGUS_SHARE = 0.15
# What the TLSA records of a self-hosted MX say, once the farm's keys are
# known (tools/sim/farm_keys): DANE-EE 3 1 1 of the leaf key, DANE-TA
# 2 1 1 of the intermediate CA's key, or digests that match nothing.
DANE_KINDS = (("ee", 0.5), ("ta", 0.25), ("nomatch", 0.25))
FARM_KEYS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "farm_keys")
# The behaviours whose chain leads to the intermediate with a leaf valid
# now (DANE-TA also needs the leaf valid for the name: RFC 7672 3.2.2).
TA_CHAIN_OK = ("expired", "self_signed", "missing_intermediate", "wrong_name")

# SPF postures: (kind, weight for self-hosted, weight for provider customers).
SPF_KINDS = (
    ("none", 12, 8), ("basic", 30, 52), ("ip", 8, 8), ("newsletters", 5, 8),
    ("chain", 10, 0), ("redirect", 5, 0), ("neutral", 3, 2), ("pass", 1.5, .5),
    ("bareall", .5, .2), ("noall", 1.5, 1), ("long", 2, 1), ("onevoid", 2, 1),
    ("multiple", 2, 2), ("syntax", 2, 1.5), ("toomany", 1.5, 1.5),
    ("voids", 1.5, 1), ("includenospf", 1.5, 1.5))
SPF_SELF = ([k for k, _, _ in SPF_KINDS], [w for _, w, _ in SPF_KINDS])
SPF_PROVIDER = ([k for k, _, _ in SPF_KINDS], [w for _, _, w in SPF_KINDS])
DMARC_KINDS = (("absent", "none", "quarantine", "reject", "broken", "multiple"),
               (24, 22, 18, 27, 3, 1.5))
BROKEN_DMARC = ("v=DMARC1; p=reject; p=none", "v=DMARC1; p=quarantine; t=x",
                "v=DMARC1; p=reject; fo=x", "v=DMARC1; p=none; sp=invalid")
BROKEN_SPF_TERMS = ("ip4:300.10.2.1", "ip4:192.0.2.0/33", "ipv4:192.0.2.10")

# SMTP behaviours of the farm (tools/farm/README.md, behaviours.h) and their
# weights among the self-hosted MX addresses (implicit MX included); the
# shared providers' addresses are always "valid". The slow and hostile ones
# are rare: "silent" costs the scan a reply timeout, "defer_421" and
# "starttls_refused" (4xx: the scanner retries twice with back-off) cost a
# few seconds each.
SMTP_BEHAVIOURS = (
    ("valid", 62.3), ("no_starttls", 6), ("starttls_refused", 2),
    ("tls10_only", 3), ("expired", 4), ("self_signed", 4), ("wrong_name", 4),
    ("missing_intermediate", 3), ("multiline_banner", 3), ("defer_421", 1.5),
    ("ehlo_502", 1.5), ("silent", 0.7), ("garbage_tls", 1),
    ("reset_handshake", 1), ("starttls_injection", 1), ("slow_banner", 1),
    ("endless_line", 0.5), ("huge_reply", 0.5))
SMTP_BEHAVIOUR_NAMES = [b for b, _ in SMTP_BEHAVIOURS]
SMTP_BEHAVIOUR_WEIGHTS = [w for _, w in SMTP_BEHAVIOURS]
# A further address of a self-hosted MX host behaves on its own (another
# server behind the same name) with this probability, else like the first.
SMTP_OWN_BEHAVIOUR_SHARE = 0.15
# slow_banner's greeting delay: well under any sensible reply timeout (the
# truth assumes --smtp-timeout-ms of 1500 or more; the default is 30000).
SLOW_BANNER_MS = 600
# The slow policy host never answers within any timeout: the farm drops the
# connection after its --timeout-ms (60 s) first.
SLOW_POLICY_MS = 3600 * 1000
# Where the farm's HTTPS listener is (its --https-address default):
# every mta-sts.<domain> with a policy host resolves to it.
POLICY_HOST_ADDRESS = "127.0.0.1"
# Policy hosts with only an AAAA record (a scanner must fetch over IPv6).
POLICY_IPV6_ONLY_SHARE = 0.1
# Self-hosted MX hosts with IPv6 whose A records go: reachable over IPv6
# only.
IPV6_ONLY_MX_SHARE = 0.1
# MTA-STS policy postures of the domains with a valid _mta-sts TXT record
# and MX hosts (null-MX domains get no policy host).
MTA_STS_POLICIES = (
    ("enforce", 45), ("testing", 20), ("not-covered", 10), ("none", 4),
    ("invalid", 4), ("no-host", 5), ("not-found", 4), ("redirect", 3),
    ("expired-cert", 3), ("huge", 1), ("slow", 1))
MTA_STS_MAX_AGES = (86400, 604800, 1209600, 31557600)
# The hostile ones (--hostile-share): servers that stall, flood, break the
# TLS handshake, inject or defer, and policy hosts that redirect, present an
# expired certificate, send 1 MiB or never answer.
HOSTILE_SMTP_BEHAVIOURS = ("silent", "endless_line", "huge_reply",
                           "garbage_tls", "reset_handshake",
                           "starttls_injection", "slow_banner", "defer_421")
HOSTILE_POLICIES = ("redirect", "expired-cert", "huge", "slow")


def hostile_weights(kinds, hostile, share):
    """The weights of (kind, weight) pairs scaled so that the kinds in
    `hostile` make up `share` of the total, each keeping its part of the
    hostile total (and the others of the rest)."""
    h = sum(w for k, w in kinds if k in hostile)
    rest = sum(w for k, w in kinds if k not in hostile)
    return [w * share / h if k in hostile else w * (1 - share) / rest
            for k, w in kinds]
# Patterns covering each provider's MX hosts, and patterns that miss some.
PROVIDER_MTA_STS_MX = {
    "bigmail": (("aspmx.bigmail.provider.sim", "*.aspmx.bigmail.provider.sim"),
                ("*.bigmail.provider.sim",)),
    "msmail": (("*.protection.msmail.provider.sim",),
               ("mail.msmail.provider.sim",)),
    "govmail": (("*.govmail.provider.sim",), ("mx1.govmail.provider.sim",)),
    MAILHOST: (("mx.mailhost.provider.sim", "mx2.mailhost.provider.sim"),
               ("mx.mailhost.provider.sim",)),
}
# RFC 8461 section 3.2: max_age is at most 31557600.
MTA_STS_MAX_AGE_LIMIT = 31557600
MX_PATTERN_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z")
