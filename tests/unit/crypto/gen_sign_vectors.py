# SPDX-License-Identifier: BSD-3-Clause
# gen_sign_vectors.py: prints the vectors of test_sign.c (between the
# GENERATED markers) into sign_vectors.inc. Ed25519 from the RFC 8032 7.1 seeds
# (the signatures are deterministic, test 1 is asserted against the RFC);
# RSA PKCS#1 v1.5 and deterministic ECDSA (RFC 6979) by python3-cryptography
# with fresh keys.
from cryptography.hazmat.primitives.asymmetric import rsa, ec, ed25519, padding
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
def carr(name, b):
    s = "static const uint8_t %s[%d] = {\n" % (name, len(b))
    for i in range(0, len(b), 12):
        s += "    " + " ".join("0x%02x," % x for x in b[i:i+12]) + "\n"
    return s + "};\n"
def cstr(name, text):
    return "static const char %s[] =\n" % name + "\n".join('    "%s\\n"' % l for l in text.strip().split("\n")) + ";\n"
out = []
msg = b"ssh2core signing known-answer test"
out.append('static const char MSG[] = "%s";\n' % msg.decode())
# Ed25519 RFC 8032 7.1 tests 1-3 (seed, pub, msg -> sig)
rfc = [("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", ""),
       ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb", "72"),
       ("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7", "af82")]
for i, (seed, m) in enumerate(rfc):
    k = ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed))
    pub = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    sig = k.sign(bytes.fromhex(m))
    out.append(carr("ED_SEED%d" % (i+1), bytes.fromhex(seed)))
    out.append(carr("ED_PUB%d" % (i+1), pub))
    out.append(carr("ED_MSG%d" % (i+1), bytes.fromhex(m)) if m else "static const uint8_t ED_MSG1[1] = { 0x00 }; /* unused: the message is empty */\n")
    out.append(carr("ED_SIG%d" % (i+1), sig))
    if i == 0:
        assert sig.hex().startswith("e5564300c360ac72")
# RSA 2048 PKCS#1 v1.5 with SHA-1/256/512
rk = rsa.generate_private_key(public_exponent=65537, key_size=2048)
out.append(cstr("RSA_PEM", rk.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()))
for hn, h in (("SHA1", hashes.SHA1()), ("SHA256", hashes.SHA256()), ("SHA512", hashes.SHA512())):
    out.append(carr("RSA_SIG_" + hn, rk.sign(msg, padding.PKCS1v15(), h)))
nums = rk.public_key().public_numbers()
out.append(carr("RSA_N", nums.n.to_bytes(256, "big")))
# ECDSA deterministic (RFC 6979) for the three curves
for cn, curve, h, fl in (("P256", ec.SECP256R1(), hashes.SHA256(), 32), ("P384", ec.SECP384R1(), hashes.SHA384(), 48), ("P521", ec.SECP521R1(), hashes.SHA512(), 66)):
    k = ec.generate_private_key(curve)
    out.append(cstr("EC_%s_PEM" % cn, k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode()))
    r, s = decode_dss_signature(k.sign(msg, ec.ECDSA(h, deterministic_signing=True)))
    out.append(carr("EC_%s_R" % cn, r.to_bytes((r.bit_length()+7)//8, "big")))
    out.append(carr("EC_%s_S" % cn, s.to_bytes((s.bit_length()+7)//8, "big")))
    out.append(carr("EC_%s_Q" % cn, k.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)))
open("sign_vectors.inc", "w").write("".join(out))
