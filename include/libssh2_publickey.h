/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_publickey.h - client for the "publickey" subsystem (RFC 4819),
 * which lets a user manage the keys the server accepts. Source and binary
 * compatible with libssh2 1.11.1; conventions as in libssh2.h.
 */
#ifndef LIBSSH2_PUBLICKEY_H
#define LIBSSH2_PUBLICKEY_H 1

#include "libssh2.h"

/* Handle for one publickey subsystem channel. */
typedef struct _LIBSSH2_PUBLICKEY LIBSSH2_PUBLICKEY;

/* One key attribute (RFC 4819 3.1): name, value, and whether the server
 * must understand it. */
typedef struct _libssh2_publickey_attribute {
    const char *name;
    unsigned long name_len;
    const char *value;
    unsigned long value_len;
    char mandatory;
} libssh2_publickey_attribute;

/* One key returned by libssh2_publickey_list_fetch(); every pointer points
 * into library-owned memory released by libssh2_publickey_list_free(). */
typedef struct _libssh2_publickey_list {
    unsigned char *packet;          /* buffer the other fields point into */
    const unsigned char *name;      /* algorithm name */
    unsigned long name_len;
    const unsigned char *blob;      /* public key blob */
    unsigned long blob_len;
    unsigned long num_attrs;
    libssh2_publickey_attribute *attrs;
} libssh2_publickey_list;

/* Initialisers for a libssh2_publickey_attribute array element (note the
 * trailing comma); the _fast form takes string literals only. */
#define libssh2_publickey_attribute(name, value, mandatory) \
    {(name), strlen(name), (value), strlen(value), (mandatory)},
#define libssh2_publickey_attribute_fast(name, value, mandatory) \
    {(name), sizeof(name) - 1, (value), sizeof(value) - 1, (mandatory)},

#ifdef __cplusplus
extern "C" {
#endif

/* libssh2_publickey_init opens a channel and starts the "publickey"
 * subsystem, negotiating its version. Returns the handle or NULL. */
LIBSSH2_API LIBSSH2_PUBLICKEY *libssh2_publickey_init(LIBSSH2_SESSION *session);

/* libssh2_publickey_add_ex adds key |blob| of algorithm |name| with
 * |num_attrs| attributes; |overwrite| replaces an existing entry. */
LIBSSH2_API int libssh2_publickey_add_ex(LIBSSH2_PUBLICKEY *pkey, const unsigned char *name,
                                         unsigned long name_len, const unsigned char *blob,
                                         unsigned long blob_len, char overwrite,
                                         unsigned long num_attrs,
                                         const libssh2_publickey_attribute attrs[]);
#define libssh2_publickey_add(pkey, name, blob, blob_len, overwrite, num_attrs, attrs) \
    libssh2_publickey_add_ex((pkey), (name), (unsigned long)strlen((const char *)(name)), \
                             (blob), (blob_len), (overwrite), (num_attrs), (attrs))

/* libssh2_publickey_remove_ex removes key |blob| of algorithm |name|. */
LIBSSH2_API int libssh2_publickey_remove_ex(LIBSSH2_PUBLICKEY *pkey,
                                            const unsigned char *name,
                                            unsigned long name_len,
                                            const unsigned char *blob,
                                            unsigned long blob_len);
#define libssh2_publickey_remove(pkey, name, blob, blob_len) \
    libssh2_publickey_remove_ex((pkey), (name), (unsigned long)strlen((const char *)(name)), \
                                (blob), (blob_len))

/* libssh2_publickey_list_fetch lists the keys on the server: *num_keys
 * gets the count and *pkey_list an array (freed with
 * libssh2_publickey_list_free()). */
LIBSSH2_API int libssh2_publickey_list_fetch(LIBSSH2_PUBLICKEY *pkey,
                                             unsigned long *num_keys,
                                             libssh2_publickey_list **pkey_list);

/* libssh2_publickey_list_free frees a list from list_fetch (NULL is fine). */
LIBSSH2_API void libssh2_publickey_list_free(LIBSSH2_PUBLICKEY *pkey,
                                             libssh2_publickey_list *pkey_list);

/* libssh2_publickey_shutdown closes the subsystem and frees |pkey|. */
LIBSSH2_API int libssh2_publickey_shutdown(LIBSSH2_PUBLICKEY *pkey);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LIBSSH2_PUBLICKEY_H */
