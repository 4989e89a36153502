#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Extract the ML-KEM-768 cases of the NIST ACVP sample vectors.

Input: the "internalProjection.json" files of usnistgov/ACVP-Server,
gen-val/json-files/ML-KEM-keyGen-FIPS203/ and ML-KEM-encapDecap-FIPS203/.
Output (stdout): tests/data/mlkem/acvp_mlkem768.txt, one "name = hex" line
per field; a record starts with its "kind" line and ends at a blank line:

  kind = keygen     d, z, ek, dk            (KeyGen_internal(d, z) -> ek, dk)
  kind = encaps     ek, m, c, k             (Encaps_internal(ek, m) -> c, k)
  kind = decaps     dk, c, k                (Decaps(dk, c) -> k; reason given)

usage: extract_mlkem_acvp.py KEYGEN.json ENCAPDECAP.json [SOURCE-NOTE] > acvp_mlkem768.txt
"""
import json
import sys

PARAM = "ML-KEM-768"


def emit(kind, tc, fields, note=None):
    print("kind = %s" % kind)
    print("tcId = %d" % tc)
    if note:
        print("reason = %s" % note)
    for name, value in fields:
        print("%s = %s" % (name, value.lower()))
    print()


def main():
    with open(sys.argv[1]) as f:
        keygen = json.load(f)
    with open(sys.argv[2]) as f:
        encdec = json.load(f)
    print("# NIST ACVP ML-KEM-768 vectors (FIPS 203), extracted by")
    print("# scripts/extract_mlkem_acvp.py from usnistgov/ACVP-Server")
    print("# gen-val/json-files/ML-KEM-{keyGen,encapDecap}-FIPS203/internalProjection.json")
    if len(sys.argv) > 3:
        print("# " + sys.argv[3])
    print()
    for g in keygen["testGroups"]:
        if g["parameterSet"] != PARAM:
            continue
        for t in g["tests"]:
            emit("keygen", t["tcId"], [("d", t["d"]), ("z", t["z"]), ("ek", t["ek"]),
                                        ("dk", t["dk"])])
    for g in encdec["testGroups"]:
        if g["parameterSet"] != PARAM:
            continue
        if g["function"] == "encapsulation":
            for t in g["tests"]:
                emit("encaps", t["tcId"], [("ek", t["ek"]), ("m", t["m"]), ("c", t["c"]),
                                            ("k", t["k"])])
        elif g["function"] == "decapsulation":
            for t in g["tests"]:
                emit("decaps", t["tcId"], [("dk", g["dk"]), ("c", t["c"]), ("k", t["k"])],
                     t.get("reason"))


if __name__ == "__main__":
    main()
