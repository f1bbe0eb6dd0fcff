#!/usr/bin/env python3
"""Converts the RFC 7208 SPF test suite from YAML to JSON, once.

The C++ conformance test reads the JSON (protobuf's JSON parser), so the
build needs no YAML library. Run by hand after updating the YAML:

    python3 tests/checks/spf/yaml_to_json.py \
        tests/checks/spf/data/rfc7208-tests.yml \
        tests/checks/spf/data/rfc7208-tests.json

The data is kept as it is: one object per YAML document (scenario) in a
list, its "tests" and "zonedata" unchanged. Strings stay Unicode; YAML's
"\\xEF" escapes are code points U+00EF, which the test maps back to the
octet 0xEF. Needs PyYAML.
"""

import json
import sys

import yaml


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: yaml_to_json.py IN.yml OUT.json\n")
        return 2
    with open(argv[1], "rb") as f:
        scenarios = [doc for doc in yaml.safe_load_all(f) if doc]
    cases = sum(len(s.get("tests", {})) for s in scenarios)
    document = {
        "source": "rfc7208-tests.yml (see SOURCE.txt)",
        "generator": "tests/checks/spf/yaml_to_json.py",
        "scenarios": scenarios,
    }
    with open(argv[2], "w", encoding="ascii") as f:
        json.dump(document, f, ensure_ascii=True, indent=1)
        f.write("\n")
    sys.stderr.write("%d scenarios, %d cases\n" % (len(scenarios), cases))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
