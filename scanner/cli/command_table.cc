// The commands of mxscan and the flags each takes (command_spec.h). A flag
// listed here without a meaning is described by its own definition's help.

#include <vector>

#include "scanner/cli/command_spec.h"

namespace mxscan::cli {

const std::vector<CommandSpec>& CommandSpecs() {
  static const std::vector<CommandSpec>* const kCommands =
      new std::vector<CommandSpec>{
          {"scan",
           "scan --input FILE|- --output DIR [--resolver HOST:PORT]... "
           "[flags]",
           "Scans every domain of the input (MX, SPF, DMARC, MTA-STS, "
           "TLS-RPT, BIMI, DKIM, DANE, DNSSEC, SMTP STARTTLS) and writes one "
           "record per domain to the output directory.",
           {
               {"input",
                "domains: one per line, or CSV domain,sector[,organization] "
                "(a header line is skipped); - for stdin",
                {}},
               {"output",
                "result directory (created; one that holds results is "
                "refused without --resume)",
                "none (required)"},
               {"resolver", "", {}},
               {"concurrency",
                "domains in flight over all workers; 0 = 1,000 per worker",
                {}},
               {"workers", "", {}},
               {"rate",
                "DNS queries and SMTP connections per second over all "
                "workers; 0 = no limit",
                {}},
               {"timeout-ms", "", {}},
               {"retries", "", {}},
               {"dkim-selectors", "", {}},
               {"dmarc-profile", "", {}},
               {"psl-file", "", {}},
               {"shard", "", {}},
               {"no-smtp", "", {}},
               {"smtp-port", "", {}},
               {"no-ipv6", "", {}},
               {"https-port", "", {}},
               {"per-host-concurrency", "", {}},
               {"per-provider-concurrency", "", {}},
               {"per-provider-rate", "", {}},
               {"smtp-timeout-ms", "", {}},
               {"probe-tls-versions", "", {}},
               {"probe-pq", "", {}},
               {"tls-census", "", {}},
               {"ca-file", "", {}},
               {"ehlo-name", "", {}},
               {"trust-anchor-zone", "", {}},
               {"blocklist", "", {}},
               {"resume", "", {}},
               {"no-dns-cache", "", {}},
               {"no-progress", "", {}},
           }},
          {"dns",
           "dns --type T [--resolver HOST:PORT]... [--input FILE|-] "
           "[--output FILE|-] [flags]",
           "Resolves one question per input name, at bulk rates, and writes "
           "one result per name.",
           {
               {"type", "", {}},
               {"input", "", {}},
               {"output", "", {}},
               {"format",
                "jsonl, or proto (length-delimited mxscan.DnsLookup records)",
                {}},
               {"resolver", "", {}},
               {"concurrency",
                "lookups in flight over all workers; 0 = 1,000 per worker",
                {}},
               {"workers", "", {}},
               {"rate", "", {}},
               {"timeout-ms", "", {}},
               {"retries", "", {}},
               {"no-progress", "", {}},
           }},
          {"dump",
           "dump FILE|DIR... [--format jsonl|csv] [--certificates]",
           "Prints result files: one JSON object (or CSV row) per domain, or "
           "each stored certificate once.",
           {
               {"format",
                "jsonl, or csv (one row per domain, every metric)",
                {}},
               {"certificates", "", {}},
               {"psl-file",
                "Public Suffix List (the csv's mail-provider column)",
                {}},
           }},
          {"stats",
           "stats DIR... | --from sqlite:PATH|postgresql://... [--scan-id ID] "
           "[flags]",
           "Sector statistics of one scan (its result directories or an "
           "export): every metric per sector, mail providers, TLS versions, "
           "certificate problems.",
           {
               {"format", "md, csv, json or html (one self-contained page)",
                "md"},
               {"by", "", {}},
               {"metrics", "", {}},
               {"top-providers", "", {}},
               {"title", "", {}},
               {"output", "report file; - for stdout", {}},
               {"from", "", {}},
               {"scan-id", "", {}},
               {"psl-file", "", {}},
               {"workers",
                "threads reading the result files; 0 = one per "
                "core",
                {}},
           }},
          {"diff",
           "diff OLD_DIR NEW_DIR [--format md|json] [--list-limit N]",
           "The change of every metric per sector between two scans, and the "
           "domains that gained or lost each property.",
           {
               {"format", "md or json", "md"},
               {"list-limit", "", {}},
               {"output", "report file; - for stdout", {}},
               {"psl-file", "", {}},
               {"workers",
                "threads reading the result files; 0 = one per "
                "core",
                {}},
           }},
          {"explain",
           "explain DOMAIN --from DIR[,DIR...]|sqlite:PATH|postgresql://... "
           "[--scan-id ID] [--format text|json]",
           "A domain's report card: each control met or failed, the fix for "
           "each failure (the exact record to publish where it can be "
           "derived), and the evidence in brief.",
           {
               {"from",
                "the scan's result directories, comma-separated, or the "
                "database it was exported to",
                "none (required)"},
               {"scan-id", "", {}},
               {"format", "text or json", "text"},
               {"psl-file", "", {}},
           }},
          {"site",
           "site DIR... | --from sqlite:PATH|postgresql://... [--scan-id ID] "
           "--output SITE/ [--earlier DIR,...] [--title T]",
           "The scan's report cards as a static site to publish: an index "
           "(headline figures, sectors, organisations ranked by the controls "
           "their domains meet), a page per sector, per organisation (its "
           "domains against the controls, the fix for every failure) and "
           "per domain (the card and its evidence). No server, nothing "
           "loaded from the network.",
           {
               {"output", "the folder the site is written to (created)",
                "none (required)"},
               {"from",
                "read the scan from a database (sqlite:PATH or "
                "postgresql://...) instead of result directories; its "
                "earlier scans give the trend",
                {}},
               {"scan-id", "", {}},
               {"earlier", "", {}},
               {"title", "", {}},
               {"psl-file", "", {}},
           }},
          {"trend",
           "trend DIR1 DIR2 ... | --from sqlite:PATH|postgresql://... "
           "[--format md|csv|json|html] [--metrics a,b]",
           "Each metric per sector over several scans (one result directory "
           "each, or every scan of a database), in the order the scans ran "
           "(their manifests say when).",
           {
               {"format", "md, csv, json or html (line charts)", "md"},
               {"from",
                "every scan exported to this database (sqlite:PATH or "
                "postgresql://...) instead of result directories",
                {}},
               {"by", "", {}},
               {"metrics", "", {}},
               {"title", "", {}},
               {"output", "report file; - for stdout", {}},
               {"psl-file", "", {}},
               {"workers",
                "threads reading the result files; 0 = one per "
                "core",
                {}},
           }},
          {"export",
           "export DIR... --to sqlite:PATH|postgresql://HOST/DB "
           "[--scan-name NAME] [--replace]",
           "Loads the result directories of one scan into SQLite or "
           "PostgreSQL (scanner/export/SCHEMA.md).",
           {
               {"to", "", {}},
               {"scan-name", "", {}},
               {"replace", "", {}},
               {"psl-file", "", {}},
           }},
          {"bench",
           "bench --target HOST:PORT [--duration S | --count N] [flags]",
           "Measures one mail server's STARTTLS (or plain TLS) handshake "
           "throughput and latency.",
           {
               {"target", "", {}},
               {"starttls", "", {}},
               {"sni", "", {}},
               {"concurrency", "handshakes in flight over all loops", "50"},
               {"workers",
                "event loops (threads) driving the handshakes, each with its "
                "share of --concurrency, --rate and --count; 0 = one per core",
                {}},
               {"duration", "", "10"},
               {"count", "", {}},
               {"warmup", "", {}},
               {"warmup-attempts", "", {}},
               {"rate", "attempts started per second; 0 = no limit", {}},
               {"timeout-ms", "time allowed for each stage", "10000"},
               {"tls-version", "", {}},
               {"groups", "", {}},
               {"ciphers", "", {}},
               {"resume-sessions", "", {}},
               {"ca-file", "", {}},
               {"ehlo-name", "", {}},
               {"format", "text or json", "text"},
               {"no-progress", "", {}},
           }},
      };
  return *kCommands;
}

}  // namespace mxscan::cli
