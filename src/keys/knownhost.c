/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * known_hosts lines: the parser, the formatter and host matching, written from
 * the format described in sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT":
 *
 *   [@cert-authority|@revoked ]hostpatterns keytype base64-key[ comment]
 *
 * hostpatterns is a comma-separated list of patterns ('*', '?', a leading '!'
 * negates; "[host]:port" for a non-default port) or one hashed name
 * "|1|base64(salt)|base64(HMAC-SHA1(key = salt, data = host))" with a 20-byte
 * salt. Fields are separated by blanks (space, tab). The parser is pure: it
 * fills a caller struct with views into the line and only appends the
 * decoded key to the caller's writer. The collection, checks and files live
 * in src/api/knownhost_api.c.
 */
#include <string.h>

#include "keys/keys.h"

static int
is_blank(int c)
{
    return c == ' ' || c == '\t';
}

static void
skip_blanks(struct s2_rd *r)
{
    while (is_blank(s2_rd_peek_u8(r))) {
        s2_rd_skip(r, 1);
    }
}

/* next_token takes the next run of non-blank bytes (after blanks) as |tok|;
 * empty at the end of the line. */
static void
next_token(struct s2_rd *r, struct s2_rd *tok)
{
    struct s2_rd look;
    size_t n = 0;
    int c;

    skip_blanks(r);
    look = *r;
    for (;;) {
        c = s2_rd_peek_u8(&look);
        if (c < 0 || is_blank(c)) {
            break;
        }
        s2_rd_skip(&look, 1);
        n++;
    }
    s2_rd_bytes(r, n, tok);
}

/* line_extent measures the line: it ends at the first NUL or LF (or |len|),
 * without trailing blanks and CRs. An interior CR is refused (-1). */
static int
line_extent(const char *line, size_t len, size_t *out_len)
{
    struct s2_rd r;
    size_t pos = 0;
    size_t end = 0;
    int saw_cr = 0;
    uint8_t c;

    s2_rd_init(&r, line, len);
    while (r.left > 0) {
        c = s2_rd_u8(&r);
        if (c == 0 || c == '\n') {
            break;
        }
        pos++;
        if (c == '\r') {
            saw_cr = 1;
        } else if (!is_blank(c)) {
            if (saw_cr) {
                return -1;
            }
            end = pos;
        }
    }
    *out_len = end;
    return 0;
}

/* decode_fixed decodes base64 |v| into exactly |n| bytes at |out|. */
static int
decode_fixed(const struct s2_rd *v, uint8_t *out, size_t n)
{
    struct s2_wr w;
    s2_wr_fixed(&w, out, n);
    if (v->left == 0 || s2_base64_decode(&w, (const char *)v->p, v->left) != 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    if (w.len != n) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    return 0;
}

/* parse_hashed reads "|1|salt|hash" (both base64, 20 bytes decoded). */
static int
parse_hashed(const struct s2_rd *field, uint8_t *salt, uint8_t *hash)
{
    struct s2_rd r = *field;
    struct s2_rd look;
    struct s2_rd salt_b64;
    struct s2_rd hash_b64;
    size_t n = 0;
    int c;

    if (s2_rd_u8(&r) != '|' || s2_rd_u8(&r) != '1' || s2_rd_u8(&r) != '|') {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    look = r;
    for (;;) {
        c = s2_rd_peek_u8(&look);
        if (c < 0) {
            return LIBSSH2_ERROR_KNOWN_HOSTS; /* no second '|' */
        }
        if (c == '|') {
            break;
        }
        s2_rd_skip(&look, 1);
        n++;
    }
    s2_rd_bytes(&r, n, &salt_b64);
    s2_rd_skip(&r, 1); /* '|' */
    s2_rd_rest(&r, &hash_b64);
    if (s2_rd_ok(&r) != 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    if (decode_fixed(&salt_b64, salt, S2_KH_SALT_LEN) != 0 ||
        decode_fixed(&hash_b64, hash, S2_KH_SALT_LEN) != 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    return 0;
}

int
s2_kh_blob_type(const uint8_t *blob, size_t blob_len, struct s2_rd *out)
{
    struct s2_rd r;
    s2_rd_init(&r, blob, blob_len);
    s2_rd_str(&r, S2_NAME_MAX, out);
    if (s2_rd_ok(&r) != 0 || out->left == 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    return 0;
}

static int
views_equal(const struct s2_rd *a, const struct s2_rd *b)
{
    return a->left == b->left && (a->left == 0 || memcmp(a->p, b->p, a->left) == 0);
}

/* blob_shape_ok checks the field layout of the key types it knows, so that
 * a truncated or padded key is refused when read rather than never matching:
 *   ssh-rsa   string name, mpint e, mpint n                (RFC 4253 6.6)
 *   ssh-dss   string name, mpint p, q, g, y                (RFC 4253 6.6)
 *   ecdsa-*   string name, string curve, string Q          (RFC 5656 3.1)
 *   ed25519   string name, string key (32 bytes)           (RFC 8709 4)
 * No key policy (sizes, curve points) applies here: a known_hosts file may
 * list keys this library would refuse in a handshake. Other types: the name
 * alone. */
static int
blob_shape_ok(const struct s2_rd *blob)
{
    struct s2_rd r = *blob;
    struct s2_rd name;
    struct s2_rd f;
    int bits;
    int i;

    s2_rd_str(&r, S2_NAME_MAX, &name);
    bits = s2_kh_key_bits(&name);
    switch (bits) {
    case LIBSSH2_KNOWNHOST_KEY_SSHRSA:
        s2_rd_str(&r, S2_MPINT_MAX, &f);
        s2_rd_str(&r, S2_MPINT_MAX, &f);
        break;
    case LIBSSH2_KNOWNHOST_KEY_SSHDSS:
        for (i = 0; i < 4; i++) {
            s2_rd_str(&r, S2_MPINT_MAX, &f);
        }
        break;
    case LIBSSH2_KNOWNHOST_KEY_ECDSA_256:
    case LIBSSH2_KNOWNHOST_KEY_ECDSA_384:
    case LIBSSH2_KNOWNHOST_KEY_ECDSA_521:
        s2_rd_str(&r, S2_NAME_MAX, &f);
        s2_rd_str(&r, 1u + 2u * 66u, &f);
        if (f.left == 0) {
            return 0;
        }
        break;
    case LIBSSH2_KNOWNHOST_KEY_ED25519:
        s2_rd_str(&r, 32, &f);
        if (f.left != 32) {
            return 0;
        }
        break;
    default:
        return s2_rd_ok(&r) == 0;
    }
    return s2_rd_finish(&r) == 0;
}

/* decode_key appends the key blob to |blob| and checks its type name. */
static int
decode_key(const struct s2_kh_line *l, struct s2_wr *blob)
{
    size_t start = blob->len;
    struct s2_rd v;
    struct s2_rd name;
    int r;

    /* bound the text before decoding: 4 chars per 3 bytes */
    if (l->key_b64.left > (S2_HOSTKEY_MAX / 3u + 1u) * 4u) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    r = s2_base64_decode(blob, (const char *)l->key_b64.p, l->key_b64.left);
    if (r == LIBSSH2_ERROR_ALLOC) {
        return r;
    }
    if (r != 0 || blob->len - start > S2_HOSTKEY_MAX) {
        r = LIBSSH2_ERROR_KNOWN_HOSTS;
        goto out;
    }
    s2_rd_init(&v, blob->p, blob->len);
    s2_rd_skip(&v, start);
    r = s2_kh_blob_type(v.p, v.left, &name);
    if (r != 0) {
        goto out;
    }
    if (!views_equal(&name, &l->keytype) || !blob_shape_ok(&v)) {
        r = LIBSSH2_ERROR_KNOWN_HOSTS; /* "ssh-rsa" line holding an ed25519 blob */
    }
out:
    if (r != 0 && blob->err == 0) {
        blob->len = start;
    }
    return r;
}

int
s2_kh_parse_line(const char *line, size_t len, struct s2_kh_line *out, struct s2_wr *blob)
{
    struct s2_kh_line l;
    struct s2_rd r;
    struct s2_rd tok;
    size_t n;
    int c;
    int rc;

    memset(&l, 0, sizeof l);
    if (len > S2_KH_LINE_MAX) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    if (line_extent(line, len, &n) != 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    s2_rd_init(&r, line, n);
    skip_blanks(&r);
    c = s2_rd_peek_u8(&r);
    if (c < 0 || c == '#') {
        return 1; /* blank or comment line */
    }

    /* [@marker] */
    if (c == '@') {
        next_token(&r, &tok);
        if (s2_rd_eq(&tok, "@cert-authority")) {
            l.marker = S2_KH_MARK_CA;
        } else if (s2_rd_eq(&tok, "@revoked")) {
            l.marker = S2_KH_MARK_REVOKED;
        } else {
            return LIBSSH2_ERROR_KNOWN_HOSTS;
        }
    }

    /* hostpatterns | "|1|salt|hash" */
    next_token(&r, &l.hosts);
    if (l.hosts.left == 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }
    if (s2_rd_peek_u8(&l.hosts) == '|') {
        if (parse_hashed(&l.hosts, l.salt, l.hash) != 0) {
            return LIBSSH2_ERROR_KNOWN_HOSTS;
        }
        l.hashed = 1;
    }

    /* keytype base64-key */
    next_token(&r, &l.keytype);
    next_token(&r, &l.key_b64);
    if (l.keytype.left == 0 || l.keytype.left > S2_NAME_MAX || l.key_b64.left == 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }

    /* [comment]: the rest, blanks before it dropped (trailing ones already) */
    skip_blanks(&r);
    s2_rd_rest(&r, &l.comment);
    if (s2_rd_ok(&r) != 0) {
        return LIBSSH2_ERROR_KNOWN_HOSTS;
    }

    rc = decode_key(&l, blob);
    if (rc != 0) {
        return rc;
    }
    *out = l;
    return 0;
}

/* wr_text appends the bytes of |s| (no length prefix, unlike s2_wr_cstr). */
static void
wr_text(struct s2_wr *w, const char *s)
{
    s2_wr_raw(w, s, strlen(s));
}

int
s2_kh_format_line(const struct s2_kh_line *l, struct s2_wr *w)
{
    if (l->marker == S2_KH_MARK_CA) {
        wr_text(w, "@cert-authority ");
    } else if (l->marker == S2_KH_MARK_REVOKED) {
        wr_text(w, "@revoked ");
    }
    if (l->hashed) {
        wr_text(w, "|1|");
        s2_base64_encode(w, l->salt, S2_KH_SALT_LEN);
        s2_wr_u8(w, '|');
        s2_base64_encode(w, l->hash, S2_KH_SALT_LEN);
    } else {
        s2_wr_raw(w, l->hosts.p, l->hosts.left);
    }
    s2_wr_u8(w, ' ');
    s2_wr_raw(w, l->keytype.p, l->keytype.left);
    s2_wr_u8(w, ' ');
    s2_wr_raw(w, l->key_b64.p, l->key_b64.left);
    if (l->comment.left > 0) {
        s2_wr_u8(w, ' ');
        s2_wr_raw(w, l->comment.p, l->comment.left);
    }
    s2_wr_u8(w, '\n');
    return s2_wr_ok(w);
}

static uint8_t
lower(uint8_t c)
{
    if (c >= 'A' && c <= 'Z') {
        return (uint8_t)(c - 'A' + 'a');
    }
    return c;
}

/* glob_match: '*' any run, '?' one byte, others equal ignoring ASCII case.
 * Iterative, backtracking only to the last '*': O(plen * slen), no
 * recursion. Indexes stay below plen and slen. */
static int
glob_match(const uint8_t *pat, size_t plen, const uint8_t *s, size_t slen)
{
    size_t pi = 0;
    size_t si = 0;
    size_t star_pi = 0;
    size_t star_si = 0;
    int have_star = 0;

    while (si < slen) {
        if (pi < plen && pat[pi] == '*') {
            have_star = 1;
            star_pi = pi++;
            star_si = si;
        } else if (pi < plen && (pat[pi] == '?' || lower(pat[pi]) == lower(s[si]))) {
            pi++;
            si++;
        } else if (have_star) {
            pi = star_pi + 1;
            si = ++star_si;
        } else {
            return 0;
        }
    }
    while (pi < plen && pat[pi] == '*') {
        pi++;
    }
    return pi == plen;
}

int
s2_kh_match_patterns(const struct s2_rd *pats, const char *host, size_t host_len)
{
    struct s2_rd r = *pats;
    struct s2_rd look;
    struct s2_rd one;
    size_t n;
    int neg;
    int c;
    int matched = 0;

    while (r.left > 0) {
        look = r;
        n = 0;
        for (;;) {
            c = s2_rd_peek_u8(&look);
            if (c < 0 || c == ',') {
                break;
            }
            s2_rd_skip(&look, 1);
            n++;
        }
        s2_rd_bytes(&r, n, &one);
        if (s2_rd_peek_u8(&r) == ',') {
            s2_rd_skip(&r, 1);
        }
        neg = s2_rd_peek_u8(&one) == '!';
        if (neg) {
            s2_rd_skip(&one, 1);
        }
        if (one.left == 0) {
            continue;
        }
        if (glob_match(one.p, one.left, (const uint8_t *)host, host_len)) {
            if (neg) {
                return -1;
            }
            matched = 1;
        }
    }
    return matched;
}

int
s2_kh_match_hashed(const uint8_t *salt, const uint8_t *hash, const char *host, size_t host_len,
                   int *out_match)
{
    uint8_t mac[S2_HASH_MAX_LEN];
    int r;

    *out_match = 0;
    r = s2_hmac_once(S2_HASH_SHA1, salt, S2_KH_SALT_LEN, host, host_len, mac);
    if (r != 0) {
        return r;
    }
    *out_match = s2_ct_eq(mac, hash, S2_KH_SALT_LEN);
    return 0;
}

struct key_bits_name {
    int bits;
    const char *name;
};

static const struct key_bits_name key_bits_names[] = {
    {LIBSSH2_KNOWNHOST_KEY_SSHRSA, "ssh-rsa"},
    {LIBSSH2_KNOWNHOST_KEY_SSHDSS, "ssh-dss"},
    {LIBSSH2_KNOWNHOST_KEY_ECDSA_256, "ecdsa-sha2-nistp256"},
    {LIBSSH2_KNOWNHOST_KEY_ECDSA_384, "ecdsa-sha2-nistp384"},
    {LIBSSH2_KNOWNHOST_KEY_ECDSA_521, "ecdsa-sha2-nistp521"},
    {LIBSSH2_KNOWNHOST_KEY_ED25519, "ssh-ed25519"},
};

int
s2_kh_key_bits(const struct s2_rd *name)
{
    size_t i;
    for (i = 0; i < sizeof key_bits_names / sizeof key_bits_names[0]; i++) {
        if (s2_rd_eq(name, key_bits_names[i].name)) {
            return key_bits_names[i].bits;
        }
    }
    return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
}

const char *
s2_kh_key_name(int key_bits)
{
    size_t i;
    for (i = 0; i < sizeof key_bits_names / sizeof key_bits_names[0]; i++) {
        if (key_bits_names[i].bits == key_bits) {
            return key_bits_names[i].name;
        }
    }
    return NULL;
}
