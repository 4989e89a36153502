/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport (private): payload compression, RFC 4253 6.2. "zlib" is one
 * deflate stream per direction that spans every packet; each packet's payload
 * is flushed with Z_PARTIAL_FLUSH, so the peer can inflate it whole, while
 * the dictionary (context) carries over to the next packet.
 * "zlib@openssh.com" is the same stream, started only after user
 * authentication succeeds: the transport decides when to create it; this
 * file only provides the stream. comp_zlib.c is the only file that includes
 * <zlib.h>.
 */
#ifndef S2_COMP_INT_H
#define S2_COMP_INT_H

#include "core/core.h"

/* One direction's zlib stream (opaque; defined in comp_zlib.c). */
struct s2_comp;

/* s2_comp_new makes a deflate (|compress| = 1) or inflate (|compress| = 0)
 * stream whose zalloc/zfree go through |a| (the session allocator), which it
 * borrows for the stream's lifetime. Caller frees with s2_comp_free() using
 * the same allocator. Returns 0, LIBSSH2_ERROR_ALLOC or LIBSSH2_ERROR_ZLIB;
 * on error *out is NULL. Never EAGAIN. */
int s2_comp_new(const struct s2_allocator *a, int compress, struct s2_comp **out) S2_MUST_CHECK;

/* s2_comp_free ends the stream and frees it through |a| (NULL is fine). */
void s2_comp_free(const struct s2_allocator *a, struct s2_comp *c);

/* s2_comp_deflate compresses one packet payload (|in_len| bytes; 0 is fine)
 * and appends the result, flushed with Z_PARTIAL_FLUSH, to |out|, growing it
 * within out->max. The compressed bytes are written directly into the
 * writer's buffer. Returns 0; LIBSSH2_ERROR_BUFFER_TOO_SMALL or
 * LIBSSH2_ERROR_ALLOC when |out| cannot hold the output (the writer's error is
 * set); LIBSSH2_ERROR_ZLIB on a zlib error. On any error out->len is back to
 * its value at entry and the stream is unusable (the peer could no longer
 * follow it): the transport must treat it as fatal. Never EAGAIN. */
int s2_comp_deflate(struct s2_comp *c, const uint8_t *in, size_t in_len,
                    struct s2_wr *out) S2_MUST_CHECK;

/* s2_comp_inflate decompresses one packet payload (|in_len| bytes) and appends
 * the result to |out|. At most |max_out| bytes are appended: a payload that
 * expands past that (a decompression bomb) is LIBSSH2_ERROR_COMPRESS, and
 * inflation stops at the cap, so no more than |max_out| bytes of |out| are
 * ever used. A corrupt stream (or one that ends: an SSH stream never does) is
 * LIBSSH2_ERROR_ZLIB; LIBSSH2_ERROR_ALLOC when zlib or |out| cannot get
 * memory; LIBSSH2_ERROR_BUFFER_TOO_SMALL when out->max is reached before
 * |max_out|. On any error out->len is back to its value at entry and the
 * stream is unusable (fatal for the transport). Returns 0 on success (also
 * when |in_len| is 0: nothing is appended). Never EAGAIN. */
int s2_comp_inflate(struct s2_comp *c, const uint8_t *in, size_t in_len, struct s2_wr *out,
                    size_t max_out) S2_MUST_CHECK;

#endif /* S2_COMP_INT_H */
