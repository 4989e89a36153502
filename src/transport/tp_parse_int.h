/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transport-private parsers that carry no session state: the identification
 * exchange (RFC 4253 4.2), KEXINIT and algorithm negotiation (RFC 4253 7.1)
 * and EXT_INFO (RFC 8308 2.3). They read peer bytes only through s2_rd,
 * allocate nothing and keep views into the caller's payload. The transport
 * engine (packet codec, KEX state machine) owns the state and calls these.
 */
#ifndef S2_TP_PARSE_INT_H
#define S2_TP_PARSE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ---- identification exchange, RFC 4253 4.2 ----
 *
 * Policy (HOSTILE-CASES T-01..T-03, FS-11):
 * - A line ends at LF; one CR right before the LF is stripped. A bare LF is
 *   accepted, and so is an empty line ("\r\n" or "\n").
 * - Lines before the ident ("pre-banner" lines) are those that do not start
 *   with "SSH-". At most S2_IDENT_LINES_MAX of them and at most
 *   S2_IDENT_BYTES_MAX bytes in total (terminators included); one more line
 *   or byte is BANNER_RECV. A single pre-banner line is bound only by the
 *   byte cap, not by 255; only its first S2_IDENT_LINE_MAX bytes are kept in
 *   id->line (nothing reads them; the bytes are counted, not stored).
 * - A NUL byte in any line is BANNER_RECV.
 * - The ident line ("SSH-" ...) may be at most S2_IDENT_LINE_MAX (255) bytes
 *   including its CR LF (or its bare LF). Longer is BANNER_RECV as soon as
 *   the 255th byte is not the end of line; we do not accept the 300-byte
 *   banners of libssh2 #1442 (OpenSSH's limit, RFC 4253 4.2).
 * - The ident must be "SSH-2.0-" or "SSH-1.99-" followed by a non-empty
 *   softwareversion of printable ASCII without space (0x21..0x7e; a '-' is
 *   tolerated there, as real servers send it), optionally followed by one SP
 *   and comments of printable ASCII (0x20..0x7e). Any other byte (CR inside
 *   the line, TAB, DEL, non-ASCII) is BANNER_RECV. "SSH-1.5-", "SSH-3.0-"
 *   and other versions are BANNER_RECV.
 */
struct s2_ident {
    size_t lines;                        /* pre-ident lines seen */
    size_t bytes;                        /* bytes of those lines, with LF */
    size_t line_len;                     /* bytes of the current line so far
                                          * (CR included; the first
                                          * S2_IDENT_LINE_MAX are kept) */
    char line[S2_IDENT_LINE_MAX + 1];    /* current line, without LF */
    char version[S2_IDENT_LINE_MAX + 1]; /* server ident, NUL-terminated,
                                          * no CR LF */
    size_t version_len;                  /* 0 until the ident is complete */
    int err;                             /* sticky error, 0 or BANNER_RECV */
};

/* s2_ident_init readies |id| for a new identification exchange. */
void s2_ident_init(struct s2_ident *id);

/* s2_ident_feed consumes bytes from |in| up to and including the end of the
 * server's identification line and never beyond it (what follows belongs to
 * the binary packet protocol). Sets *used to the bytes consumed. Returns 1
 * when the ident line is complete (id->version holds it, verbatim without
 * CR LF, for the exchange hash), 0 when more bytes are needed (all of |in|
 * was consumed), or LIBSSH2_ERROR_BANNER_RECV (sticky; *used then counts the
 * bytes up to and including the offending one). Never EAGAIN. Once complete,
 * further calls return 1 and consume nothing. The result does not depend on
 * how the input is split between calls. |in| is borrowed for the call. */
int s2_ident_feed(struct s2_ident *id, const uint8_t *in, size_t len, size_t *used) S2_MUST_CHECK;

/* ---- KEXINIT, RFC 4253 7.1 ---- */
enum s2_kex_list { /* same order as the RFC and LIBSSH2_METHOD_* */
    S2_KL_KEX,
    S2_KL_HOSTKEY,
    S2_KL_ENC_CS,
    S2_KL_ENC_SC,
    S2_KL_MAC_CS,
    S2_KL_MAC_SC,
    S2_KL_COMP_CS,
    S2_KL_COMP_SC,
    S2_KL_LANG_CS,
    S2_KL_LANG_SC,
    S2_KL_COUNT
};

struct s2_kexinit {
    uint8_t cookie[16];
    struct s2_rd list[S2_KL_COUNT]; /* name-lists, views into the payload */
    int first_kex_follows;
    uint32_t reserved;
};

/* s2_namelist_check tells whether the view |list| is a well-formed
 * name-list (RFC 4251 5, 6): at most S2_NAMELIST_MAX bytes, names of 1 to
 * S2_NAME_MAX bytes of 0x21..0x7e other than ',', separated by single commas
 * (no leading, trailing or doubled comma). An empty list is well-formed.
 * Linear in the list length. Returns 0 or LIBSSH2_ERROR_PROTO. Does not
 * consume |list|. */
int s2_namelist_check(const struct s2_rd *list) S2_MUST_CHECK;

/* s2_kexinit_parse parses a KEXINIT payload (|r| positioned after the
 * message number byte):
 *     byte[16]  cookie
 *     name-list x 10 (kex, host key, enc c2s/s2c, mac c2s/s2c, comp c2s/s2c,
 *                     lang c2s/s2c)
 *     boolean   first_kex_packet_follows
 *     uint32    0 (reserved)
 * Each name-list must pass s2_namelist_check (empty lists are accepted: an
 * empty algorithm list simply yields no match later). reserved is parsed and
 * kept but not checked (policy K-04). Bytes after reserved are rejected.
 * Returns 0, or LIBSSH2_ERROR_KEX_FAILURE for any malformation (then |out| is
 * zeroed). On success out->list[] are views into |r|'s memory, valid as long
 * as the payload is; |r| is consumed. */
int s2_kexinit_parse(struct s2_rd *r, struct s2_kexinit *out) S2_MUST_CHECK;

/* s2_kexinit_build writes a whole KEXINIT payload (byte SSH_MSG_KEXINIT = 20,
 * cookie, the ten lists given as NUL-terminated comma-separated strings, a
 * NULL entry written as an empty list, first_kex_packet_follows = 0,
 * reserved 0) to |w|. Errors (writer full) are sticky in |w|; check
 * s2_wr_ok(w) afterwards. */
void s2_kexinit_build(struct s2_wr *w, const uint8_t cookie[16],
                      const char *const lists[S2_KL_COUNT]);

/* s2_kex_negotiate picks the first name of the client list |ours|
 * (NUL-terminated, comma-separated; empty names are skipped) that also
 * appears in the server's list |theirs| (RFC 4253 7.1). Writes it
 * NUL-terminated into |out| (out_max bytes). Returns 0,
 * LIBSSH2_ERROR_KEX_FAILURE when there is no common name, or
 * LIBSSH2_ERROR_BUFFER_TOO_SMALL when the chosen name does not fit |out|
 * (a caller bug: S2_NAME_MAX + 1 is always enough for our names). Time is
 * linear in the list sizes times the number of our names (our lists are
 * short). |theirs| is not consumed. */
int s2_kex_negotiate(const char *ours, const struct s2_rd *theirs, char *out,
                     size_t out_max) S2_MUST_CHECK;

/* s2_kex_guess_ok tells whether the server's guessed packet
 * (first_kex_follows) is usable: the first names of the KEX and host key
 * lists agree on both sides (RFC 4253 7; the first name of our list is our
 * guess, the first of theirs is theirs). |our_kex| and |our_hostkey| are
 * NUL-terminated comma-separated lists. Returns 1 yes, 0 no (also when a
 * list is empty). */
int s2_kex_guess_ok(const char *our_kex, const char *our_hostkey, const struct s2_kexinit *theirs);

/* ---- EXT_INFO, RFC 8308 2.3 ---- */
struct s2_ext_info {
    struct s2_rd server_sig_algs; /* value view; empty (left 0) if absent */
    int has_server_sig_algs;
    int ping;                     /* "ping@openssh.com" advertised */
    int publickey_hostbound;      /* "publickey-hostbound@openssh.com" advertised */
};

/* s2_ext_info_parse parses an EXT_INFO payload (|r| after the message byte):
 *     uint32    nr-extensions
 *     repeated nr-extensions times:
 *       string  extension-name
 *       string  extension-value (binary)
 * The count is checked against the bytes present before any loop (each pair
 * needs at least 8 bytes, so a count above left/8 is PROTO at once,
 * CVE-2026-55199) and against S2_EXT_INFO_MAX. Names and values are strings
 * of at most S2_STRING_MAX. The "server-sig-algs" value must be at most
 * S2_NAMELIST_MAX bytes and a well-formed name-list (s2_namelist_check).
 * An extension we track that appears twice is PROTO (no silent override).
 * Unknown extensions are ignored. Trailing bytes are PROTO. Returns 0 or
 * LIBSSH2_ERROR_PROTO (then |out| is zeroed). server_sig_algs is a view into
 * |r|'s memory, valid as long as the payload is; |r| is consumed. */
int s2_ext_info_parse(struct s2_rd *r, struct s2_ext_info *out) S2_MUST_CHECK;

#endif /* S2_TP_PARSE_INT_H */
