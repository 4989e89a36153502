/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The libssh2_knownhost_* API: a collection of known_hosts entries bound to a
 * session (and its allocator), checks of a host and key against it, and
 * OpenSSH known_hosts files read and written byte-compatibly. Line parsing,
 * formatting and host matching are in src/keys/knownhost.c; this file owns
 * the entries, the check policy and the file I/O. docs/KNOWNHOSTS.md states
 * every decision where libssh2's documentation leaves room.
 *
 * Check policy (libssh2_knownhost_check / _checkp), for each host name tried:
 *   - @cert-authority entries are never compared with a host key;
 *   - an @revoked entry for the host holding exactly the key: MISMATCH,
 *     whatever else matches (OpenSSH refuses revoked keys);
 *   - an entry for the host with the same key type (any type when the query
 *     gives none, as libgit2 relies on) and the same key: MATCH;
 *   - otherwise the first such entry with another key: MISMATCH;
 *   - otherwise NOTFOUND. Any internal failure (allocation, HMAC): FAILURE,
 *     never MATCH (HOSTILE-CASES H-12).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/session_int.h"
#include "keys/keys.h"

#define KH_MAGIC      0x6b6e6f77u /* "know" */
#define KH_READ_CHUNK 4096u

struct kh_entry {
    struct libssh2_knownhost ext; /* what the application sees; ext.node = this */
    struct kh_entry *prev;
    struct kh_entry *next;
    enum s2_kh_marker marker;
    int hashed; /* 1: salt/hash hold "|1|salt|hash" */
    uint8_t salt[S2_KH_SALT_LEN];
    uint8_t hash[S2_KH_SALT_LEN];
    char *hosts; /* plain or custom host field; NULL if hashed */
    size_t hosts_len;
    char *keytype; /* key type name */
    size_t keytype_len;
    char *key_b64; /* the key, base64 (also ext.key) */
    size_t key_b64_len;
    uint8_t *blob; /* the key, decoded */
    size_t blob_len;
    char *comment; /* NULL when none */
    size_t comment_len;
};

struct _LIBSSH2_KNOWNHOSTS {
    LIBSSH2_SESSION *session; /* allocator and error state */
    struct kh_entry *head;
    struct kh_entry *tail;
};

static const struct s2_allocator *
kh_alloc(const LIBSSH2_KNOWNHOSTS *kh)
{
    return &kh->session->env.alloc;
}

static void
entry_free(LIBSSH2_KNOWNHOSTS *kh, struct kh_entry *e)
{
    const struct s2_allocator *a = kh_alloc(kh);
    if (e == NULL) {
        return;
    }
    s2_free(a, e->hosts);
    s2_free(a, e->keytype);
    s2_free(a, e->key_b64);
    s2_free(a, e->blob);
    s2_free(a, e->comment);
    e->ext.magic = 0;
    s2_free(a, e);
}

/* entry_new copies |l| (views) and |blob| into a new entry appended to the
 * collection. |host_type| is LIBSSH2_KNOWNHOST_TYPE_*. 0 or ALLOC. */
static int
entry_new(LIBSSH2_KNOWNHOSTS *kh, const struct s2_kh_line *l, int host_type, const uint8_t *blob,
          size_t blob_len, struct kh_entry **out)
{
    const struct s2_allocator *a = kh_alloc(kh);
    struct kh_entry *e;

    e = s2_zalloc(a, sizeof *e);
    if (e == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    e->marker = l->marker;
    e->hashed = l->hashed;
    if (l->hashed) {
        memcpy(e->salt, l->salt, sizeof e->salt);
        memcpy(e->hash, l->hash, sizeof e->hash);
    } else {
        e->hosts = s2_memdup(a, l->hosts.p, l->hosts.left);
        e->hosts_len = l->hosts.left;
        if (e->hosts == NULL) {
            goto fail;
        }
    }
    e->keytype = s2_memdup(a, l->keytype.p, l->keytype.left);
    e->keytype_len = l->keytype.left;
    e->key_b64 = s2_memdup(a, l->key_b64.p, l->key_b64.left);
    e->key_b64_len = l->key_b64.left;
    e->blob = (uint8_t *)s2_memdup(a, blob, blob_len);
    e->blob_len = blob_len;
    if (e->keytype == NULL || e->key_b64 == NULL || e->blob == NULL) {
        goto fail;
    }
    if (l->comment.left > 0) {
        e->comment = s2_memdup(a, l->comment.p, l->comment.left);
        e->comment_len = l->comment.left;
        if (e->comment == NULL) {
            goto fail;
        }
    }
    e->ext.magic = KH_MAGIC;
    e->ext.node = e;
    e->ext.name = e->hosts;
    e->ext.key = e->key_b64;
    e->ext.typemask = host_type | LIBSSH2_KNOWNHOST_KEYENC_BASE64 | s2_kh_key_bits(&l->keytype);

    e->prev = kh->tail;
    if (kh->tail != NULL) {
        kh->tail->next = e;
    } else {
        kh->head = e;
    }
    kh->tail = e;
    if (out != NULL) {
        *out = e;
    }
    return 0;
fail:
    entry_free(kh, e);
    return LIBSSH2_ERROR_ALLOC;
}

/* entry_line views entry |e| as line fields (borrowing |e|). */
static void
entry_line(const struct kh_entry *e, struct s2_kh_line *l)
{
    memset(l, 0, sizeof *l);
    l->marker = e->marker;
    l->hashed = e->hashed;
    if (e->hashed) {
        memcpy(l->salt, e->salt, sizeof l->salt);
        memcpy(l->hash, e->hash, sizeof l->hash);
    } else {
        s2_rd_init(&l->hosts, e->hosts, e->hosts_len);
    }
    s2_rd_init(&l->keytype, e->keytype, e->keytype_len);
    s2_rd_init(&l->key_b64, e->key_b64, e->key_b64_len);
    s2_rd_init(&l->comment, e->comment, e->comment_len);
}

/* find_entry maps an application's entry pointer to ours, or NULL when it is
 * not an entry of this collection. */
static struct kh_entry *
find_entry(const LIBSSH2_KNOWNHOSTS *kh, const struct libssh2_knownhost *ext)
{
    struct kh_entry *e;
    /* compare addresses first: a stale pointer is never dereferenced */
    for (e = kh->head; e != NULL; e = e->next) {
        if (&e->ext == ext) {
            return ext->magic == KH_MAGIC && ext->node == e ? e : NULL;
        }
    }
    return NULL;
}

LIBSSH2_API LIBSSH2_KNOWNHOSTS *
libssh2_knownhost_init(LIBSSH2_SESSION *session)
{
    LIBSSH2_KNOWNHOSTS *kh;
    if (session == NULL) {
        return NULL;
    }
    kh = s2_zalloc(&session->env.alloc, sizeof *kh);
    if (kh == NULL) {
        s2_api_fail(session, LIBSSH2_ERROR_ALLOC, "out of memory for known hosts");
        return NULL;
    }
    kh->session = session;
    return kh;
}

LIBSSH2_API void
libssh2_knownhost_free(LIBSSH2_KNOWNHOSTS *hosts)
{
    struct kh_entry *e;
    struct kh_entry *next;
    if (hosts == NULL) {
        return;
    }
    for (e = hosts->head; e != NULL; e = next) {
        next = e->next;
        entry_free(hosts, e);
    }
    s2_free(kh_alloc(hosts), hosts);
}

/* has_char tells whether text would break a known_hosts line
 * (a field separator or line end where only one field may stand). */
static int
has_char(const char *s, size_t n, int blanks)
{
    struct s2_rd r;
    uint8_t c;
    s2_rd_init(&r, s, n);
    while (r.left > 0) {
        c = s2_rd_u8(&r);
        if (c == '\n' || c == '\r' || c == 0 || (blanks && (c == ' ' || c == '\t'))) {
            return 1;
        }
    }
    return 0;
}

LIBSSH2_API int
libssh2_knownhost_addc(LIBSSH2_KNOWNHOSTS *hosts, const char *host, const char *salt,
                       const char *key, size_t keylen, const char *comment, size_t commentlen,
                       int typemask, struct libssh2_knownhost **store)
{
    struct s2_kh_line l;
    struct s2_wr dec;
    struct s2_wr b64;
    struct s2_rd blob;
    struct s2_rd name;
    struct kh_entry *e = NULL;
    const char *want;
    int host_type;
    int key_bits;
    int r;

    if (hosts == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (host == NULL || key == NULL) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "known host or key missing");
    }
    memset(&l, 0, sizeof l);
    s2_wr_dyn(&dec, kh_alloc(hosts), S2_HOSTKEY_MAX);
    s2_wr_dyn(&b64, kh_alloc(hosts), S2_KH_LINE_MAX);

    host_type = typemask & LIBSSH2_KNOWNHOST_TYPE_MASK;
    switch (host_type) {
    case LIBSSH2_KNOWNHOST_TYPE_PLAIN:
    case LIBSSH2_KNOWNHOST_TYPE_CUSTOM:
        s2_rd_init(&l.hosts, host, strlen(host));
        if (l.hosts.left == 0 || has_char(host, l.hosts.left, 1) || host[0] == '@' ||
            host[0] == '#') {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "invalid known host name");
            goto out;
        }
        break;
    case LIBSSH2_KNOWNHOST_TYPE_SHA1:
        /* |host| is base64(HMAC-SHA1(salt, name)), |salt| base64(salt) */
        if (salt == NULL) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "hashed host needs a salt");
            goto out;
        }
        {
            struct s2_wr w1;
            struct s2_wr w2;
            s2_wr_fixed(&w1, l.salt, sizeof l.salt);
            s2_wr_fixed(&w2, l.hash, sizeof l.hash);
            if (s2_base64_decode(&w1, salt, strlen(salt)) != 0 || w1.len != sizeof l.salt ||
                s2_base64_decode(&w2, host, strlen(host)) != 0 || w2.len != sizeof l.hash) {
                r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL,
                                "hashed host or salt is not 20 bytes of base64");
                goto out;
            }
        }
        l.hashed = 1;
        break;
    default:
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "unknown known host name type");
        goto out;
    }

    /* the key: decoded blob and canonical base64 */
    if ((typemask & LIBSSH2_KNOWNHOST_KEYENC_MASK) == LIBSSH2_KNOWNHOST_KEYENC_BASE64) {
        if (keylen == 0) {
            keylen = strlen(key);
        }
        r = s2_base64_decode(&dec, key, keylen);
        if (r == LIBSSH2_ERROR_ALLOC) {
            r = s2_api_fail(hosts->session, r, "out of memory for a known host key");
            goto out;
        }
        if (r != 0 || dec.len == 0) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "known host key: bad base64");
            goto out;
        }
    } else {
        if (keylen == 0 || keylen > S2_HOSTKEY_MAX) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "known host key: bad length");
            goto out;
        }
        s2_wr_raw(&dec, key, keylen);
        if (s2_wr_ok(&dec) != 0) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_ALLOC, "out of memory for a key");
            goto out;
        }
    }
    s2_rd_init(&blob, dec.p, dec.len);

    /* the key type: from the typemask, checked against the blob's own name */
    key_bits = typemask & LIBSSH2_KNOWNHOST_KEY_MASK;
    r = s2_kh_blob_type(blob.p, blob.left, &name);
    if (key_bits == 0 || key_bits == LIBSSH2_KNOWNHOST_KEY_UNKNOWN) {
        if (r != 0) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "known host key has no type");
            goto out;
        }
        l.keytype = name;
    } else {
        want = s2_kh_key_name(key_bits);
        if (want == NULL) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                            "unsupported known host key type");
            goto out;
        }
        if (r == 0 && !s2_rd_eq(&name, want)) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL,
                            "known host key does not match its type");
            goto out;
        }
        s2_rd_init(&l.keytype, want, strlen(want));
    }
    s2_base64_encode(&b64, blob.p, blob.left);
    if (s2_wr_ok(&b64) != 0) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_ALLOC, "out of memory for a key");
        goto out;
    }
    s2_rd_init(&l.key_b64, b64.p, b64.len);

    if (comment != NULL && commentlen > 0) {
        if (has_char(comment, commentlen, 0) || commentlen > S2_KH_LINE_MAX) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "invalid known host comment");
            goto out;
        }
        s2_rd_init(&l.comment, comment, commentlen);
    }

    r = entry_new(hosts, &l, host_type, blob.p, blob.left, &e);
    if (r != 0) {
        r = s2_api_fail(hosts->session, r, "out of memory for a known host");
        goto out;
    }
    if (store != NULL) {
        *store = &e->ext;
    }
out:
    s2_wr_free(&dec);
    s2_wr_free(&b64);
    return r;
}

LIBSSH2_API int
libssh2_knownhost_add(LIBSSH2_KNOWNHOSTS *hosts, const char *host, const char *salt,
                      const char *key, size_t keylen, int typemask,
                      struct libssh2_knownhost **store)
{
    return libssh2_knownhost_addc(hosts, host, salt, key, keylen, NULL, 0, typemask, store);
}

/* query_host writes the name to look up, lowercased as OpenSSH does before
 * matching and hashing: "host", or "[host]:port". */
static int
query_host(struct s2_wr *w, const char *host, int port)
{
    struct s2_rd r;
    uint8_t c;
    char digits[12];
    size_t n = 0;
    unsigned int p;

    if (port >= 0) {
        s2_wr_u8(w, '[');
    }
    s2_rd_init(&r, host, strlen(host));
    while (r.left > 0) {
        c = s2_rd_u8(&r);
        if (c >= 'A' && c <= 'Z') {
            c = (uint8_t)(c - 'A' + 'a');
        }
        s2_wr_u8(w, c);
    }
    if (port >= 0) {
        s2_wr_raw(w, "]:", 2);
        p = (unsigned int)port;
        do {
            digits[n++] = (char)('0' + p % 10u);
            p /= 10u;
        } while (p > 0 && n < sizeof digits);
        while (n > 0) {
            s2_wr_u8(w, (uint8_t)digits[--n]);
        }
    }
    return s2_wr_ok(w);
}

/* scan applies the check policy (file comment) for one host name. Returns a
 * LIBSSH2_KNOWNHOST_CHECK_* value and the entry in *out (or NULL). */
static int
scan(const LIBSSH2_KNOWNHOSTS *kh, const struct s2_wr *qhost, const uint8_t *blob, size_t blob_len,
     int qbits, struct kh_entry **out)
{
    struct kh_entry *e;
    struct kh_entry *match = NULL;
    struct kh_entry *bad = NULL;
    struct kh_entry *revoked = NULL;
    struct s2_rd pats;
    struct s2_rd qname;
    const char *h = (const char *)qhost->p;
    size_t hlen = qhost->len;
    int have_qname;
    int hit;
    int same;
    int r;

    *out = NULL;
    have_qname = s2_kh_blob_type(blob, blob_len, &qname) == 0;
    for (e = kh->head; e != NULL; e = e->next) {
        if (e->marker == S2_KH_MARK_CA) {
            continue; /* a CA key signs host certificates; it is not a host key */
        }
        if (e->hashed) {
            r = s2_kh_match_hashed(e->salt, e->hash, h, hlen, &hit);
            if (r != 0) {
                return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
            }
        } else {
            s2_rd_init(&pats, e->hosts, e->hosts_len);
            hit = s2_kh_match_patterns(&pats, h, hlen) == 1;
        }
        if (!hit) {
            continue;
        }
        same = e->blob_len == blob_len && memcmp(e->blob, blob, blob_len) == 0;
        if (e->marker == S2_KH_MARK_REVOKED) {
            if (same && revoked == NULL) {
                revoked = e;
            }
            continue;
        }
        if (qbits != 0 && qbits != (e->ext.typemask & LIBSSH2_KNOWNHOST_KEY_MASK)) {
            continue; /* a key of another type: not this entry's business */
        }
        if (qbits == LIBSSH2_KNOWNHOST_KEY_UNKNOWN) {
            struct s2_rd ename;
            s2_rd_init(&ename, e->keytype, e->keytype_len);
            if (!have_qname || qname.left != ename.left ||
                memcmp(qname.p, ename.p, ename.left) != 0) {
                continue; /* unknown types compare by name */
            }
        }
        if (same) {
            if (match == NULL) {
                match = e;
            }
        } else if (bad == NULL) {
            bad = e;
        }
    }
    if (revoked != NULL) {
        *out = revoked;
        return LIBSSH2_KNOWNHOST_CHECK_MISMATCH;
    }
    if (match != NULL) {
        *out = match;
        return LIBSSH2_KNOWNHOST_CHECK_MATCH;
    }
    if (bad != NULL) {
        *out = bad;
        return LIBSSH2_KNOWNHOST_CHECK_MISMATCH;
    }
    return LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
}

/* check_one looks |host| (with |port| >= 0: "[host]:port") up. */
static int
check_one(LIBSSH2_KNOWNHOSTS *kh, const char *host, int port, const uint8_t *blob, size_t blob_len,
          int qbits, struct kh_entry **out)
{
    struct s2_wr q;
    int rc;

    *out = NULL;
    s2_wr_dyn(&q, kh_alloc(kh), S2_KH_LINE_MAX);
    if (query_host(&q, host, port) != 0) {
        s2_wr_free(&q);
        s2_api_fail(kh->session, LIBSSH2_ERROR_ALLOC, "out of memory checking a known host");
        return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
    }
    rc = scan(kh, &q, blob, blob_len, qbits, out);
    s2_wr_free(&q);
    if (rc == LIBSSH2_KNOWNHOST_CHECK_FAILURE) {
        *out = NULL;
        s2_api_fail(kh->session, LIBSSH2_ERROR_KNOWN_HOSTS, "known host check failed");
    }
    return rc;
}

LIBSSH2_API int
libssh2_knownhost_checkp(LIBSSH2_KNOWNHOSTS *hosts, const char *host, int port, const char *key,
                         size_t keylen, int typemask, struct libssh2_knownhost **store)
{
    struct s2_wr dec;
    const uint8_t *blob;
    size_t blob_len;
    struct kh_entry *e = NULL;
    int qbits;
    int rc;

    if (store != NULL) {
        *store = NULL;
    }
    if (hosts == NULL || host == NULL || key == NULL) {
        return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
    }
    if (host[0] == '\0') {
        return LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
    }
    if ((typemask & LIBSSH2_KNOWNHOST_TYPE_MASK) == LIBSSH2_KNOWNHOST_TYPE_SHA1) {
        s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "check needs a plain host name");
        return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
    }
    s2_wr_dyn(&dec, kh_alloc(hosts), S2_HOSTKEY_MAX);
    if ((typemask & LIBSSH2_KNOWNHOST_KEYENC_MASK) == LIBSSH2_KNOWNHOST_KEYENC_BASE64) {
        if (keylen == 0) {
            keylen = strlen(key);
        }
        if (s2_base64_decode(&dec, key, keylen) != 0) {
            s2_wr_free(&dec);
            s2_api_fail(hosts->session, LIBSSH2_ERROR_KNOWN_HOSTS, "cannot decode the key");
            return LIBSSH2_KNOWNHOST_CHECK_FAILURE;
        }
        blob = dec.p;
        blob_len = dec.len;
    } else {
        blob = (const uint8_t *)key;
        blob_len = keylen;
    }
    qbits = typemask & LIBSSH2_KNOWNHOST_KEY_MASK;

    rc = LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
    if (port >= 0 && port != 22) {
        /* OpenSSH writes "[host]:port" for other ports; try that first */
        rc = check_one(hosts, host, port, blob, blob_len, qbits, &e);
    }
    if (rc == LIBSSH2_KNOWNHOST_CHECK_NOTFOUND) {
        rc = check_one(hosts, host, -1, blob, blob_len, qbits, &e);
    }
    s2_wr_free(&dec);
    if (store != NULL && e != NULL &&
        (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH || rc == LIBSSH2_KNOWNHOST_CHECK_MISMATCH)) {
        *store = &e->ext;
    }
    return rc;
}

LIBSSH2_API int
libssh2_knownhost_check(LIBSSH2_KNOWNHOSTS *hosts, const char *host, const char *key, size_t keylen,
                        int typemask, struct libssh2_knownhost **store)
{
    return libssh2_knownhost_checkp(hosts, host, -1, key, keylen, typemask, store);
}

LIBSSH2_API int
libssh2_knownhost_del(LIBSSH2_KNOWNHOSTS *hosts, struct libssh2_knownhost *entry)
{
    struct kh_entry *e;
    if (hosts == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    e = find_entry(hosts, entry);
    if (e == NULL) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "not a known host entry");
    }
    if (e->prev != NULL) {
        e->prev->next = e->next;
    } else {
        hosts->head = e->next;
    }
    if (e->next != NULL) {
        e->next->prev = e->prev;
    } else {
        hosts->tail = e->prev;
    }
    entry_free(hosts, e);
    return 0;
}

LIBSSH2_API int
libssh2_knownhost_get(LIBSSH2_KNOWNHOSTS *hosts, struct libssh2_knownhost **store,
                      struct libssh2_knownhost *prev)
{
    struct kh_entry *e;
    if (hosts == NULL || store == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (prev == NULL) {
        e = hosts->head;
    } else {
        e = find_entry(hosts, prev);
        if (e == NULL) {
            return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "not a known host entry");
        }
        e = e->next;
    }
    if (e == NULL) {
        return 1;
    }
    *store = &e->ext;
    return 0;
}

/* read_line parses one line into the collection; *added tells whether it
 * held an entry. 0, KNOWN_HOSTS (malformed) or ALLOC. */
static int
read_line(LIBSSH2_KNOWNHOSTS *kh, const char *line, size_t len, int *added)
{
    struct s2_kh_line l;
    struct s2_wr blob;
    int r;

    *added = 0;
    s2_wr_dyn(&blob, kh_alloc(kh), S2_HOSTKEY_MAX);
    r = s2_kh_parse_line(line, len, &l, &blob);
    if (r == 0) {
        r = entry_new(kh, &l, l.hashed ? LIBSSH2_KNOWNHOST_TYPE_SHA1 : LIBSSH2_KNOWNHOST_TYPE_PLAIN,
                      blob.p, blob.len, NULL);
        *added = r == 0;
    } else if (r == 1) {
        r = 0;
    }
    s2_wr_free(&blob);
    return r;
}

LIBSSH2_API int
libssh2_knownhost_readline(LIBSSH2_KNOWNHOSTS *hosts, const char *line, size_t len, int type)
{
    int added;
    int r;
    if (hosts == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (type != LIBSSH2_KNOWNHOST_FILE_OPENSSH) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                           "unsupported known_hosts file type");
    }
    if (line == NULL) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "no line");
    }
    r = read_line(hosts, line, len, &added);
    if (r == LIBSSH2_ERROR_ALLOC) {
        return s2_api_fail(hosts->session, r, "out of memory reading a known host");
    }
    if (r != 0) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_KNOWN_HOSTS,
                           "failed to parse known_hosts line");
    }
    return 0;
}

/* find_nl returns the index of the first '\n' in |p| (|n| bytes) or n. */
static size_t
find_nl(const uint8_t *p, size_t n)
{
    const uint8_t *q = memchr(p, '\n', n);
    return q == NULL ? n : (size_t)(q - p);
}

LIBSSH2_API int
libssh2_knownhost_readfile(LIBSSH2_KNOWNHOSTS *hosts, const char *filename, int type)
{
    struct stat st;
    uint8_t *buf = NULL;
    size_t cap = S2_KH_LINE_MAX + 1u;
    size_t have = 0;
    size_t start;
    size_t nl;
    ssize_t got;
    int fd = -1;
    int skipping = 0; /* inside a line longer than S2_KH_LINE_MAX */
    int eof = 0;
    int count = 0;
    int added;
    int r = 0;

    if (hosts == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (type != LIBSSH2_KNOWNHOST_FILE_OPENSSH) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                           "unsupported known_hosts file type");
    }
    if (filename == NULL) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "no file name");
    }
    /* O_NONBLOCK: a FIFO must not block the open; only regular files go on */
    fd = open(filename, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot open known_hosts file");
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "known_hosts is not a regular file");
        goto out;
    }
    buf = s2_alloc(kh_alloc(hosts), cap);
    if (buf == NULL) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_ALLOC, "out of memory reading known_hosts");
        goto out;
    }
    while (!eof || have > 0) {
        if (!eof && have < cap) {
            got = read(fd, buf + have, cap - have < KH_READ_CHUNK ? cap - have : KH_READ_CHUNK);
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got < 0) {
                r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot read known_hosts");
                goto out;
            }
            if (got == 0) {
                eof = 1;
            }
            have += (size_t)got;
        }
        /* every complete line in the buffer; at end of file the rest too */
        start = 0;
        while (start < have) {
            nl = find_nl(buf + start, have - start);
            if (start + nl == have && !eof) {
                break; /* an incomplete line: read more first */
            }
            if (skipping) {
                skipping = 0; /* the tail of an over-long line */
            } else {
                r = read_line(hosts, (const char *)buf + start, nl, &added);
                if (r == LIBSSH2_ERROR_ALLOC) {
                    r = s2_api_fail(hosts->session, r, "out of memory reading known_hosts");
                    goto out;
                }
                /* a line we cannot parse is skipped, as OpenSSH does */
                count += added;
                r = 0;
            }
            start += nl;
            if (start < have) {
                start++; /* the '\n' */
            }
        }
        if (start > 0) {
            memmove(buf, buf + start, have - start);
            have -= start;
        } else if (have == cap) {
            skipping = 1; /* no newline in a full buffer: drop this line */
            have = 0;
        }
        if (eof && have == 0) {
            break;
        }
    }
    r = count;
out:
    s2_free(kh_alloc(hosts), buf);
    if (fd >= 0) {
        close(fd);
    }
    return r;
}

LIBSSH2_API int
libssh2_knownhost_writeline(LIBSSH2_KNOWNHOSTS *hosts, struct libssh2_knownhost *known,
                            char *buffer, size_t buflen, size_t *outlen, int type)
{
    struct kh_entry *e;
    struct s2_kh_line l;
    struct s2_wr w;
    int r;

    if (hosts == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (type != LIBSSH2_KNOWNHOST_FILE_OPENSSH) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                           "unsupported known_hosts file type");
    }
    e = find_entry(hosts, known);
    if (e == NULL || buffer == NULL || outlen == NULL) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "not a known host entry");
    }
    entry_line(e, &l);
    s2_wr_dyn(&w, kh_alloc(hosts), 4u * S2_KH_LINE_MAX);
    r = s2_kh_format_line(&l, &w);
    if (r != 0) {
        s2_wr_free(&w);
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_ALLOC, "out of memory writing a line");
    }
    if (w.len >= buflen) {
        *outlen = w.len + 1u; /* the buffer size needed, with the terminating zero */
        s2_wr_free(&w);
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_BUFFER_TOO_SMALL,
                           "known host line does not fit");
    }
    memcpy(buffer, w.p, w.len);
    buffer[w.len] = '\0';
    *outlen = w.len;
    s2_wr_free(&w);
    return 0;
}

/* write_all writes |n| bytes to |fd|. 0 or -1. */
static int
write_all(int fd, const uint8_t *p, size_t n)
{
    ssize_t k;
    size_t done = 0;
    while (done < n) {
        k = write(fd, p + done, n - done);
        if (k < 0 && errno == EINTR) {
            continue;
        }
        if (k <= 0) {
            return -1;
        }
        done += (size_t)k;
    }
    return 0;
}

LIBSSH2_API int
libssh2_knownhost_writefile(LIBSSH2_KNOWNHOSTS *hosts, const char *filename, int type)
{
    static const char suffix[] = ".XXXXXX";
    const struct s2_allocator *a;
    struct kh_entry *e;
    struct s2_kh_line l;
    struct s2_wr w;
    char *tmp = NULL;
    size_t n;
    int fd = -1;
    int r = 0;

    if (hosts == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (type != LIBSSH2_KNOWNHOST_FILE_OPENSSH) {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                           "unsupported known_hosts file type");
    }
    if (filename == NULL || filename[0] == '\0') {
        return s2_api_fail(hosts->session, LIBSSH2_ERROR_INVAL, "no file name");
    }
    a = kh_alloc(hosts);
    s2_wr_dyn(&w, a, 4u * S2_KH_LINE_MAX);

    /* the temporary file sits beside the target so rename() is atomic */
    n = strlen(filename);
    tmp = s2_alloc(a, n + sizeof suffix);
    if (tmp == NULL) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_ALLOC, "out of memory writing known_hosts");
        goto out;
    }
    memcpy(tmp, filename, n);
    memcpy(tmp + n, suffix, sizeof suffix);
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) {
        s2_free(a, tmp);
        tmp = NULL;
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot create known_hosts file");
        goto out;
    }
    if (fchmod(fd, S_IRUSR | S_IWUSR) != 0) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot set known_hosts mode");
        goto out;
    }
    for (e = hosts->head; e != NULL; e = e->next) {
        s2_wr_reset(&w);
        entry_line(e, &l);
        if (s2_kh_format_line(&l, &w) != 0) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_ALLOC,
                            "out of memory writing known_hosts");
            goto out;
        }
        if (write_all(fd, w.p, w.len) != 0) {
            r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot write known_hosts");
            goto out;
        }
    }
    if (fsync(fd) != 0) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot write known_hosts");
        goto out;
    }
    r = close(fd);
    fd = -1;
    if (r != 0 || rename(tmp, filename) != 0) {
        r = s2_api_fail(hosts->session, LIBSSH2_ERROR_FILE, "cannot replace known_hosts");
        goto out;
    }
    s2_free(a, tmp);
    tmp = NULL;
out:
    if (fd >= 0) {
        close(fd);
    }
    if (tmp != NULL) {
        unlink(tmp); /* the old file stays as it was */
        s2_free(a, tmp);
    }
    s2_wr_free(&w);
    return r;
}
