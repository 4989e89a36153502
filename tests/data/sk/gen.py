#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes security-key (sk-*) test key files, as OpenSSH PROTOCOL.u2f and
PROTOCOL.key describe them, for keys whose private half we know, so the tests
can play the authenticator:

  sk_ed25519.key / .pub / .seed   sk-ssh-ed25519@openssh.com (seed: 32 hex bytes)
  sk_ecdsa.key / .pub / .d        sk-ecdsa-sha2-nistp256@openssh.com (d: 32 hex bytes)
  sk_ed25519_enc.key              sk_ed25519.key re-encrypted by ssh-keygen -p,
                                  passphrase "test" (also proves OpenSSH reads
                                  our files)

Application "ssh:", flags 0x01 (user presence), a 64-byte key handle.
Run from anywhere: python3 tests/data/sk/gen.py
"""
import base64
import os
import shutil
import struct
import subprocess
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

HERE = os.path.dirname(os.path.abspath(__file__))
APP = b"ssh:"
FLAGS = 0x01


def s(b):
    return struct.pack(">I", len(b)) + b


def keyfile(pub_blob, priv_fields, comment):
    check = os.urandom(4)
    sect = check + check + priv_fields + s(comment)
    i = 1
    while len(sect) % 8:
        sect += bytes([i])
        i += 1
    body = (b"openssh-key-v1\0" + s(b"none") + s(b"none") + s(b"") +
            struct.pack(">I", 1) + s(pub_blob) + s(sect))
    b64 = base64.b64encode(body).decode()
    lines = [b64[i:i + 70] for i in range(0, len(b64), 70)]
    return ("-----BEGIN OPENSSH PRIVATE KEY-----\n" + "\n".join(lines) +
            "\n-----END OPENSSH PRIVATE KEY-----\n")


def write(name, text, mode=0o600):
    path = os.path.join(HERE, name)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def main():
    handle = os.urandom(64)

    k = ed25519.Ed25519PrivateKey.generate()
    seed = k.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                           serialization.NoEncryption())
    pub = k.public_key().public_bytes(serialization.Encoding.Raw,
                                      serialization.PublicFormat.Raw)
    name = b"sk-ssh-ed25519@openssh.com"
    blob = s(name) + s(pub) + s(APP)
    priv = s(name) + s(pub) + s(APP) + bytes([FLAGS]) + s(handle) + s(b"")
    write("sk_ed25519.key", keyfile(blob, priv, b"sk-ed25519-test"))
    write("sk_ed25519.pub", "%s %s sk-ed25519-test\n" % (name.decode(),
                                                       base64.b64encode(blob).decode()), 0o644)
    write("sk_ed25519.seed", seed.hex() + "\n", 0o644)

    k = ec.generate_private_key(ec.SECP256R1())
    d = k.private_numbers().private_value.to_bytes(32, "big")
    q = k.public_key().public_bytes(serialization.Encoding.X962,
                                    serialization.PublicFormat.UncompressedPoint)
    name = b"sk-ecdsa-sha2-nistp256@openssh.com"
    blob = s(name) + s(b"nistp256") + s(q) + s(APP)
    priv = s(name) + s(b"nistp256") + s(q) + s(APP) + bytes([FLAGS]) + s(handle) + s(b"")
    write("sk_ecdsa.key", keyfile(blob, priv, b"sk-ecdsa-test"))
    write("sk_ecdsa.pub", "%s %s sk-ecdsa-test\n" % (name.decode(),
                                                   base64.b64encode(blob).decode()), 0o644)
    write("sk_ecdsa.d", d.hex() + "\n", 0o644)

    keygen = shutil.which("ssh-keygen")
    if keygen is None:
        sys.exit("ssh-keygen is needed for sk_ed25519_enc.key")
    for t in ("sk_ed25519", "sk_ecdsa"):
        out = subprocess.run([keygen, "-y", "-f", os.path.join(HERE, t + ".key")],
                             check=True, capture_output=True, text=True).stdout.split()
        want = open(os.path.join(HERE, t + ".pub")).read().split()
        if out[:2] != want[:2]:
            sys.exit("ssh-keygen -y disagrees about " + t)
    enc = os.path.join(HERE, "sk_ed25519_enc.key")
    shutil.copy(os.path.join(HERE, "sk_ed25519.key"), enc)
    os.chmod(enc, 0o600)
    subprocess.run([keygen, "-q", "-p", "-P", "", "-N", "test", "-f", enc], check=True,
                   capture_output=True)


if __name__ == "__main__":
    main()
