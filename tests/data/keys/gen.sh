#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# gen.sh: regenerates the private key test files (tests/unit/keys/test_privkey.c,
# fuzz/corpus/privkey/). Every encrypted key uses the passphrase "test".
# Needs ssh-keygen (OpenSSH >= 9) and the openssl CLI. The generated files
# are committed; rerunning makes new random keys (the tests do not depend on
# particular key values).
set -eu
cd "$(dirname "$0")"
PW=test
rm -f ./*.key ./*.pub

k() { # k NAME ssh-keygen-args...
    name=$1
    shift
    ssh-keygen -q -C "ssh2core test $name" -f "$name.key" "$@"
    mv "$name.key.pub" "$name.pub"
}

# openssh-key-v1, unencrypted
k ed25519 -t ed25519 -N ''
k ecdsa256 -t ecdsa -b 256 -N ''
k ecdsa384 -t ecdsa -b 384 -N ''
k ecdsa521 -t ecdsa -b 521 -N ''
k rsa2048 -t rsa -b 2048 -N ''
k rsa3072 -t rsa -b 3072 -N ''

# openssh-key-v1, bcrypt_pbkdf + each cipher
k ed25519_aes256ctr -t ed25519 -N $PW -Z aes256-ctr
k ed25519_aes256cbc -t ed25519 -N $PW -Z aes256-cbc
k ed25519_aes128ctr -t ed25519 -N $PW -Z aes128-ctr
k ed25519_chacha -t ed25519 -N $PW -Z chacha20-poly1305@openssh.com
k ecdsa384_aes256ctr -t ecdsa -b 384 -N $PW -Z aes256-ctr
k rsa2048_chacha -t rsa -b 2048 -N $PW -Z chacha20-poly1305@openssh.com
k ecdsa521_aes256cbc -t ecdsa -b 521 -N $PW -Z aes256-cbc

# PEM: PKCS#1 RSA and SEC1 EC (ssh-keygen refuses passphrases under five
# characters for PEM, so the encrypted PEM files come from openssl below)
k rsa2048_pem -t rsa -b 2048 -N '' -m PEM
k ecdsa256_pem -t ecdsa -b 256 -N '' -m PEM
k ecdsa384_pem -t ecdsa -b 384 -N '' -m PEM
k ecdsa521_pem -t ecdsa -b 521 -N '' -m PEM

# PKCS#8, plain
k rsa2048_pkcs8 -t rsa -b 2048 -N '' -m PKCS8
k ecdsa384_pkcs8 -t ecdsa -b 384 -N '' -m PKCS8

# openssl: traditional PEM with DEK-Info (AES-256-CBC, AES-128-CBC, 3DES)
openssl rsa -in rsa2048_pem.key -traditional -aes256 -passout pass:$PW \
    -out rsa2048_pem_aes256.key 2>/dev/null
cp rsa2048_pem.pub rsa2048_pem_aes256.pub
openssl ec -in ecdsa256_pem.key -aes128 -passout pass:$PW -out ecdsa256_pem_aes128.key 2>/dev/null
cp ecdsa256_pem.pub ecdsa256_pem_aes128.pub
openssl ec -in ecdsa384_pem.key -des3 -passout pass:$PW -out ecdsa384_pem_des3.key 2>/dev/null
cp ecdsa384_pem.pub ecdsa384_pem_des3.pub

# openssl: PKCS#8 PBES2 (PBKDF2-HMAC-SHA256 + AES-256-CBC / AES-128-CBC)
openssl pkcs8 -topk8 -v2 aes256 -in rsa2048_pem.key -passout pass:$PW \
    -out rsa2048_pkcs8_aes256.key
cp rsa2048_pem.pub rsa2048_pkcs8_aes256.pub
openssl pkcs8 -topk8 -v2 aes128 -in ecdsa521_pem.key -passout pass:$PW \
    -out ecdsa521_pkcs8_aes128.key
cp ecdsa521_pem.pub ecdsa521_pkcs8_aes128.pub
openssl pkcs8 -topk8 -v2 aes256 -v2prf hmacWithSHA1 -in ecdsa256_pem.key -passout pass:$PW \
    -out ecdsa256_pkcs8_aes256_sha1.key
cp ecdsa256_pem.pub ecdsa256_pkcs8_aes256_sha1.pub

# DSA: must fail with "not supported" (openssh and PEM forms)
ssh-keygen -q -t dsa -N '' -C "ssh2core test dsa" -f dsa.key
mv dsa.key.pub dsa.pub
ssh-keygen -q -t dsa -N '' -m PEM -C "ssh2core test dsa" -f dsa_pem.key
rm dsa_pem.key.pub
# ed25519 PKCS#8 (RFC 8410), made by openssl
openssl genpkey -algorithm ed25519 -out ed25519_pkcs8.key
/usr/bin/python3 - <<'PY'
from cryptography.hazmat.primitives import serialization as s
k = s.load_pem_private_key(open("ed25519_pkcs8.key", "rb").read(), None)
line = k.public_key().public_bytes(s.Encoding.OpenSSH, s.PublicFormat.OpenSSH)
open("ed25519_pkcs8.pub", "wb").write(line + b" ssh2core test ed25519_pkcs8\n")
PY
openssl pkcs8 -topk8 -v2 aes256 -in ed25519_pkcs8.key -passout pass:$PW -out ed25519_pkcs8_aes256.key
cp ed25519_pkcs8.pub ed25519_pkcs8_aes256.pub
chmod 600 ./*.key
