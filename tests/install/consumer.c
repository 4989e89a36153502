/* SPDX-License-Identifier: BSD-3-Clause */
/* A libssh2 consumer built against the installed package. */
#include <libssh2.h>
#include <stdio.h>

int
main(void)
{
    LIBSSH2_SESSION *s;
    if (libssh2_init(0) != 0) {
        return 1;
    }
    s = libssh2_session_init();
    if (s == NULL) {
        return 1;
    }
    printf("%s\n", libssh2_version(0));
    libssh2_session_free(s);
    libssh2_exit();
    return 0;
}
