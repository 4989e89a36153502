# SPDX-License-Identifier: BSD-3-Clause
"""A third SSH server for the integration tests, built on asyncssh.

    python3 asyncssh_server.py DIR CATEGORY

Loads the OpenSSH host keys that sshd_fixture.sh wrote in DIR and opens one
127.0.0.1 listener per algorithm of CATEGORY (kex, hostkey, cipher, mac, comp),
each restricted to that single algorithm (the others at asyncssh's defaults),
then writes DIR/asyncssh.ports.CATEGORY with lines

    <category> <algorithm> <port>

and serves until killed. One process per category, so a slow key exchange in
one category (asyncio runs one thing at a time) does not stall the others. Unlike sshd, asyncssh accepts a key re-exchange before
user authentication, so test_handshake can rekey with every algorithm here.
Authentication always fails (the "none" request answers with a method list).
"""
import asyncio
import os
import sys
import warnings

warnings.simplefilter("ignore")  # cryptography deprecation noise on import

import asyncssh  # noqa: E402

KEX = [
    "curve25519-sha256", "curve25519-sha256@libssh.org",
    "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
    "diffie-hellman-group-exchange-sha256", "diffie-hellman-group14-sha256",
    "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
    "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1",
    "diffie-hellman-group1-sha1",
]
HOSTKEY = {
    "ssh-ed25519": "ed25519",
    "ecdsa-sha2-nistp256": "ecdsa256",
    "ecdsa-sha2-nistp384": "ecdsa384",
    "ecdsa-sha2-nistp521": "ecdsa521",
    "rsa-sha2-512": "rsa",
    "rsa-sha2-256": "rsa",
    "ssh-rsa": "rsa",
}
CIPHER = [
    "chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
    "aes128-ctr", "aes192-ctr", "aes256-ctr", "aes128-cbc", "aes192-cbc", "aes256-cbc",
]
MAC = [
    "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com",
    "hmac-sha1-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512", "hmac-sha1",
]
COMP = ["none", "zlib@openssh.com", "zlib"]


class Server(asyncssh.SSHServer):
    """Every user must authenticate; no credential is ever accepted."""

    def begin_auth(self, username):
        return True

    def password_auth_supported(self):
        return True

    def validate_password(self, username, password):
        return False


def supported(kind):
    from asyncssh.compression import get_compression_algs
    from asyncssh.encryption import get_encryption_algs
    from asyncssh.kex import get_kex_algs
    from asyncssh.mac import get_mac_algs
    lists = {"kex": get_kex_algs, "cipher": get_encryption_algs, "mac": get_mac_algs,
             "comp": get_compression_algs}
    return {a.decode() for a in lists[kind]()}


async def main(fixture, only):
    keys = {name: asyncssh.read_private_key(os.path.join(fixture, "hostkey_" + name))
            for name in set(HOSTKEY.values())}
    all_keys = [keys["ed25519"], keys["ecdsa256"], keys["rsa"]]
    cases = []
    for alg in KEX:
        cases.append(("kex", alg, {"kex_algs": [alg]}))
    for alg, key in HOSTKEY.items():
        # One key may serve several algorithms (RSA): offer only this one.
        keypair = asyncssh.load_keypairs([keys[key]])[0]
        keypair.host_key_algorithms = [alg.encode()]
        cases.append(("hostkey", alg, {"server_host_keys": [keypair]}))
    for alg in CIPHER:
        cases.append(("cipher", alg, {"encryption_algs": [alg]}))
    for alg in MAC:
        cases.append(("mac", alg, {"mac_algs": [alg], "encryption_algs": ["aes256-ctr"]}))
    for alg in COMP:
        cases.append(("comp", alg, {"compression_algs": [alg]}))

    lines = []
    listeners = []
    for category, alg, opts in cases:
        if category != only:
            continue
        if category in ("kex", "cipher", "mac", "comp") and alg not in supported(category):
            continue
        opts.setdefault("server_host_keys", all_keys)
        options = asyncssh.SSHServerConnectionOptions(
            server_factory=Server, authorized_client_keys=None, **opts)
        acceptor = await asyncssh.listen("127.0.0.1", 0, options=options)
        listeners.append(acceptor)
        lines.append("%s %s %d\n" % (category, alg, acceptor.sockets[0].getsockname()[1]))

    out = os.path.join(fixture, "asyncssh.ports." + only)
    with open(out + ".tmp", "w") as f:
        f.writelines(lines)
    os.rename(out + ".tmp", out)
    await asyncio.Event().wait()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[2] not in ("kex", "hostkey", "cipher", "mac", "comp"):
        sys.exit("usage: asyncssh_server.py DIR kex|hostkey|cipher|mac|comp")
    try:
        asyncio.run(main(sys.argv[1], sys.argv[2]))
    except KeyboardInterrupt:
        pass
