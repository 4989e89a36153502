#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Generate the key and signature vectors for the keys unit tests and fuzzers.

How the vectors were made (run: /usr/bin/python3 tests/unit/keys/gen_vectors.py):

1. ssh-keygen makes fresh key pairs in a temporary directory:
     ssh-keygen -t ed25519            -N '' -f ed25519
     ssh-keygen -t ecdsa -b 256/384/521 -N '' -f ecdsa256/384/521
     ssh-keygen -t rsa   -b 2048      -N '' -f rsa2048
     ssh-keygen -t rsa   -b 1024      -N '' -f rsa1024   (policy: must be rejected)
   The public key blobs are the base64 field of the .pub files, byte for byte
   as ssh-keygen wrote them (RFC 4253 6.6, RFC 5656 3.1, RFC 8709).
2. python3-cryptography loads the OpenSSH private keys
   (serialization.load_ssh_private_key) and signs DATA. The SSH signature
   blobs (string alg-name, string signature) are built here:
     ssh-ed25519          : the 64-byte RFC 8032 signature (RFC 8709 6)
     ecdsa-sha2-nistpXXX  : string(mpint r, mpint s) (RFC 5656 3.1.2), the
                            message hashed with SHA-256/384/512
     rsa-sha2-256/512,    : RSASSA-PKCS1-v1_5 with SHA-256/512 (RFC 8332 3)
     ssh-rsa              : ... with SHA-1 (RFC 4253 6.6)
   Every signature is checked again with cryptography before it is written.
3. RSA_SHORT: an rsa-sha2-256 signature whose first byte is 0x00, found by
   signing DATA_SHORT_PREFIX + counter until one appears; it is embedded with
   the zero byte stripped, to test left-padding (HOSTILE-CASES H-03).

Outputs (the test files are rewritten only between their GENERATED markers):
  tests/unit/keys/test_pubkey.c, tests/unit/keys/test_sigblob.c,
  fuzz/sigblob_fuzz.c (the keys and DATA)
  fuzz/corpus/pubkey/*   key blobs, plus a few truncated ones
  fuzz/corpus/sigblob/*  one selector byte (index into the harness's algorithm
                         table) followed by a signature blob
ECDSA signatures are randomised, so a rerun produces different (equally valid)
vectors.
"""

import base64
import os
import re
import struct
import subprocess
import sys
import tempfile

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DATA = b"ssh2core keys test vector: stand-in for an exchange hash H"
DATA_SHORT_PREFIX = b"ssh2core short rsa signature "

# Order must match the sig_algs[] table in fuzz/sigblob_fuzz.c.
FUZZ_ALGS = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
             "ecdsa-sha2-nistp521", "rsa-sha2-256", "rsa-sha2-512", "ssh-rsa"]


def sshstr(b):
    return struct.pack(">I", len(b)) + b


def mpint(v):
    if v == 0:
        return sshstr(b"")
    b = v.to_bytes((v.bit_length() + 7) // 8, "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    return sshstr(b)


def keygen(tmp, name, args):
    path = os.path.join(tmp, name)
    subprocess.run(["ssh-keygen", "-q"] + args + ["-N", "", "-C", "", "-f", path],
                   check=True)
    with open(path + ".pub") as f:
        blob = base64.b64decode(f.read().split()[1])
    with open(path, "rb") as f:
        priv = serialization.load_ssh_private_key(f.read(), password=None)
    pub = priv.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                         serialization.PublicFormat.OpenSSH)
    assert base64.b64decode(pub.split()[1]) == blob
    return priv, blob


def sign_ed25519(priv, data):
    sig = priv.sign(data)
    priv.public_key().verify(sig, data)
    return sshstr(b"ssh-ed25519") + sshstr(sig)


ECDSA_HASH = {256: hashes.SHA256, 384: hashes.SHA384, 521: hashes.SHA512}


def sign_ecdsa(priv, bits, data):
    h = ECDSA_HASH[bits]()
    der = priv.sign(data, ec.ECDSA(h))
    priv.public_key().verify(der, data, ec.ECDSA(ECDSA_HASH[bits]()))
    r, s = decode_dss_signature(der)
    name = b"ecdsa-sha2-nistp%d" % bits
    return sshstr(name) + sshstr(mpint(r) + mpint(s))


RSA_HASH = {"rsa-sha2-256": hashes.SHA256, "rsa-sha2-512": hashes.SHA512,
            "ssh-rsa": hashes.SHA1}


def rsa_raw(priv, alg, data):
    sig = priv.sign(data, padding.PKCS1v15(), RSA_HASH[alg]())
    priv.public_key().verify(sig, data, padding.PKCS1v15(), RSA_HASH[alg]())
    return sig


def sign_rsa(priv, alg, data):
    return sshstr(alg.encode()) + sshstr(rsa_raw(priv, alg, data))


def c_array(name, b):
    out = ["static const uint8_t %s[%d] = {" % (name, len(b))]
    for i in range(0, len(b), 12):
        out.append("    " + " ".join("0x%02x," % x for x in b[i:i + 12]))
    out.append("};")
    return "\n".join(out)


def c_string(name, b):
    return "static const char %s[] = \"%s\";" % (name, b.decode())


def splice(path, text):
    with open(path) as f:
        src = f.read()
    begin = "/* BEGIN GENERATED VECTORS (gen_vectors.py) */\n"
    end = "/* END GENERATED VECTORS */\n"
    pat = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    if not pat.search(src):
        sys.exit("%s: no GENERATED markers" % path)
    src = pat.sub(lambda _m: begin + text + "\n" + end, src)
    with open(path, "w") as f:
        f.write(src)


def write_corpus(d, files):
    os.makedirs(d, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        ed, ed_blob = keygen(tmp, "ed25519", ["-t", "ed25519"])
        p256, p256_blob = keygen(tmp, "ecdsa256", ["-t", "ecdsa", "-b", "256"])
        p384, p384_blob = keygen(tmp, "ecdsa384", ["-t", "ecdsa", "-b", "384"])
        p521, p521_blob = keygen(tmp, "ecdsa521", ["-t", "ecdsa", "-b", "521"])
        r2k, r2k_blob = keygen(tmp, "rsa2048", ["-t", "rsa", "-b", "2048"])
        r1k, r1k_blob = keygen(tmp, "rsa1024", ["-t", "rsa", "-b", "1024"])
    assert isinstance(ed, ed25519.Ed25519PrivateKey)
    assert isinstance(r2k, rsa.RSAPrivateKey)

    sigs = {
        "ed25519": sign_ed25519(ed, DATA),
        "p256": sign_ecdsa(p256, 256, DATA),
        "p384": sign_ecdsa(p384, 384, DATA),
        "p521": sign_ecdsa(p521, 521, DATA),
        "rsa256": sign_rsa(r2k, "rsa-sha2-256", DATA),
        "rsa512": sign_rsa(r2k, "rsa-sha2-512", DATA),
        "rsa1": sign_rsa(r2k, "ssh-rsa", DATA),
    }

    # H-03: a signature with a leading zero byte, sent stripped.
    i = 0
    while True:
        short_data = DATA_SHORT_PREFIX + str(i).encode()
        raw = rsa_raw(r2k, "rsa-sha2-256", short_data)
        if raw[0] == 0:
            break
        i += 1
    stripped = raw.lstrip(b"\x00")
    try:
        r2k.public_key().verify(stripped, short_data, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        pass  # OpenSSL may refuse short ones; our verifier pads (H-03)
    short_sig = sshstr(b"rsa-sha2-256") + sshstr(stripped)

    keys = [("ED25519_PUB", ed_blob), ("P256_PUB", p256_blob), ("P384_PUB", p384_blob),
            ("P521_PUB", p521_blob), ("RSA2048_PUB", r2k_blob)]
    sig_arrays = [("ED25519_SIG", sigs["ed25519"]), ("P256_SIG", sigs["p256"]),
                  ("P384_SIG", sigs["p384"]), ("P521_SIG", sigs["p521"]),
                  ("RSA_SHA256_SIG", sigs["rsa256"]), ("RSA_SHA512_SIG", sigs["rsa512"]),
                  ("RSA_SHA1_SIG", sigs["rsa1"]), ("RSA_SHORT_SIG", short_sig)]

    pub_text = "\n".join(c_array(n, b) for n, b in keys + [("RSA1024_PUB", r1k_blob)])
    splice(os.path.join(ROOT, "tests/unit/keys/test_pubkey.c"), pub_text)

    sig_text = "\n".join([c_string("DATA", DATA), c_string("SHORT_DATA", short_data)]
                         + [c_array(n, b) for n, b in keys + sig_arrays])
    splice(os.path.join(ROOT, "tests/unit/keys/test_sigblob.c"), sig_text)

    fuzz_text = "\n".join([c_string("DATA", DATA)] + [c_array(n, b) for n, b in keys])
    splice(os.path.join(ROOT, "fuzz/sigblob_fuzz.c"), fuzz_text)

    pub_corpus = {"ed25519": ed_blob, "p256": p256_blob, "p384": p384_blob,
                  "p521": p521_blob, "rsa2048": r2k_blob, "rsa1024": r1k_blob,
                  "ed25519_trunc": ed_blob[:-1], "p256_trunc": p256_blob[:40],
                  "rsa2048_trunc": r2k_blob[:30], "ed25519_trail": ed_blob + b"\x00"}
    write_corpus(os.path.join(ROOT, "fuzz/corpus/pubkey"), pub_corpus)

    sel = {a: bytes([i]) for i, a in enumerate(FUZZ_ALGS)}
    sig_corpus = {"ed25519": sel["ssh-ed25519"] + sigs["ed25519"],
                  "p256": sel["ecdsa-sha2-nistp256"] + sigs["p256"],
                  "p384": sel["ecdsa-sha2-nistp384"] + sigs["p384"],
                  "p521": sel["ecdsa-sha2-nistp521"] + sigs["p521"],
                  "rsa256": sel["rsa-sha2-256"] + sigs["rsa256"],
                  "rsa512": sel["rsa-sha2-512"] + sigs["rsa512"],
                  "rsa1": sel["ssh-rsa"] + sigs["rsa1"],
                  "p256_trunc": sel["ecdsa-sha2-nistp256"] + sigs["p256"][:-3],
                  "rsa256_trunc": sel["rsa-sha2-256"] + sigs["rsa256"][:40],
                  "ed25519_trail": sel["ssh-ed25519"] + sigs["ed25519"] + b"\x00"}
    write_corpus(os.path.join(ROOT, "fuzz/corpus/sigblob"), sig_corpus)
    print("short rsa signature found after %d tries" % (i + 1))


if __name__ == "__main__":
    main()
