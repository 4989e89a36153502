/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_sftp.h - SFTP client API (protocol version 3,
 * draft-ietf-secsh-filexfer-02), source and binary compatible with
 * libssh2 1.11.1.
 *
 * Conventions as in libssh2.h: int results are 0 or a negative
 * LIBSSH2_ERROR_*, EAGAIN on non-blocking sessions; pointer results are
 * NULL on failure with the cause in libssh2_session_last_errno(). When a
 * call fails with LIBSSH2_ERROR_SFTP_PROTOCOL the server's status code
 * (LIBSSH2_FX_*) is read with libssh2_sftp_last_error().
 */
#ifndef LIBSSH2_SFTP_H
#define LIBSSH2_SFTP_H 1

#include "libssh2.h"

#ifndef _WIN32
#include <unistd.h>
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* SFTP protocol version spoken. */
#define LIBSSH2_SFTP_VERSION 3

/* Opaque handles and public structures. */
typedef struct _LIBSSH2_SFTP LIBSSH2_SFTP;
typedef struct _LIBSSH2_SFTP_HANDLE LIBSSH2_SFTP_HANDLE;
typedef struct _LIBSSH2_SFTP_ATTRIBUTES LIBSSH2_SFTP_ATTRIBUTES;
typedef struct _LIBSSH2_SFTP_STATVFS LIBSSH2_SFTP_STATVFS;

/* open_type for libssh2_sftp_open_ex(). */
#define LIBSSH2_SFTP_OPENFILE 0
#define LIBSSH2_SFTP_OPENDIR 1

/* flags for libssh2_sftp_rename_ex(). */
#define LIBSSH2_SFTP_RENAME_OVERWRITE 0x00000001
#define LIBSSH2_SFTP_RENAME_ATOMIC 0x00000002
#define LIBSSH2_SFTP_RENAME_NATIVE 0x00000004

/* stat_type for libssh2_sftp_stat_ex(). */
#define LIBSSH2_SFTP_STAT 0
#define LIBSSH2_SFTP_LSTAT 1
#define LIBSSH2_SFTP_SETSTAT 2

/* link_type for libssh2_sftp_symlink_ex(). */
#define LIBSSH2_SFTP_SYMLINK 0
#define LIBSSH2_SFTP_READLINK 1
#define LIBSSH2_SFTP_REALPATH 2

/* mode meaning "let the server choose". */
#define LIBSSH2_SFTP_DEFAULT_MODE (-1)

/* LIBSSH2_SFTP_ATTRIBUTES.flags bits: which fields are valid. */
#define LIBSSH2_SFTP_ATTR_SIZE 0x00000001
#define LIBSSH2_SFTP_ATTR_UIDGID 0x00000002
#define LIBSSH2_SFTP_ATTR_PERMISSIONS 0x00000004
#define LIBSSH2_SFTP_ATTR_ACMODTIME 0x00000008
#define LIBSSH2_SFTP_ATTR_EXTENDED 0x80000000

/* LIBSSH2_SFTP_STATVFS.f_flag bits. */
#define LIBSSH2_SFTP_ST_RDONLY 0x00000001
#define LIBSSH2_SFTP_ST_NOSUID 0x00000002

/* File attributes (draft-02 ATTRS); a field counts only if its flag is set. */
struct _LIBSSH2_SFTP_ATTRIBUTES {
    unsigned long flags;          /* LIBSSH2_SFTP_ATTR_* */
    libssh2_uint64_t filesize;
    unsigned long uid, gid;
    unsigned long permissions;    /* LIBSSH2_SFTP_S_* bits */
    unsigned long atime, mtime;   /* seconds since the epoch */
};

/* File system statistics ("statvfs@openssh.com"). */
struct _LIBSSH2_SFTP_STATVFS {
    libssh2_uint64_t f_bsize;     /* block size */
    libssh2_uint64_t f_frsize;    /* fragment size */
    libssh2_uint64_t f_blocks;    /* size in f_frsize units */
    libssh2_uint64_t f_bfree;     /* free blocks */
    libssh2_uint64_t f_bavail;    /* free blocks for unprivileged users */
    libssh2_uint64_t f_files;     /* inodes */
    libssh2_uint64_t f_ffree;     /* free inodes */
    libssh2_uint64_t f_favail;    /* free inodes for unprivileged users */
    libssh2_uint64_t f_fsid;      /* file system id */
    libssh2_uint64_t f_flag;      /* LIBSSH2_SFTP_ST_* */
    libssh2_uint64_t f_namemax;   /* longest file name */
};

/* File types (later SFTP versions; kept for source compatibility). */
#define LIBSSH2_SFTP_TYPE_REGULAR 1
#define LIBSSH2_SFTP_TYPE_DIRECTORY 2
#define LIBSSH2_SFTP_TYPE_SYMLINK 3
#define LIBSSH2_SFTP_TYPE_SPECIAL 4
#define LIBSSH2_SFTP_TYPE_UNKNOWN 5
#define LIBSSH2_SFTP_TYPE_SOCKET 6
#define LIBSSH2_SFTP_TYPE_CHAR_DEVICE 7
#define LIBSSH2_SFTP_TYPE_BLOCK_DEVICE 8
#define LIBSSH2_SFTP_TYPE_FIFO 9

/* Permission and file type bits (POSIX values, octal). */
#define LIBSSH2_SFTP_S_IFMT 0170000
#define LIBSSH2_SFTP_S_IFIFO 0010000
#define LIBSSH2_SFTP_S_IFCHR 0020000
#define LIBSSH2_SFTP_S_IFDIR 0040000
#define LIBSSH2_SFTP_S_IFBLK 0060000
#define LIBSSH2_SFTP_S_IFREG 0100000
#define LIBSSH2_SFTP_S_IFLNK 0120000
#define LIBSSH2_SFTP_S_IFSOCK 0140000

#define LIBSSH2_SFTP_S_IRWXU 0000700
#define LIBSSH2_SFTP_S_IRUSR 0000400
#define LIBSSH2_SFTP_S_IWUSR 0000200
#define LIBSSH2_SFTP_S_IXUSR 0000100
#define LIBSSH2_SFTP_S_IRWXG 0000070
#define LIBSSH2_SFTP_S_IRGRP 0000040
#define LIBSSH2_SFTP_S_IWGRP 0000020
#define LIBSSH2_SFTP_S_IXGRP 0000010
#define LIBSSH2_SFTP_S_IRWXO 0000007
#define LIBSSH2_SFTP_S_IROTH 0000004
#define LIBSSH2_SFTP_S_IWOTH 0000002
#define LIBSSH2_SFTP_S_IXOTH 0000001

/* File type tests on a permissions value. */
#define LIBSSH2_SFTP_S_ISLNK(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFLNK)
#define LIBSSH2_SFTP_S_ISREG(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFREG)
#define LIBSSH2_SFTP_S_ISDIR(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFDIR)
#define LIBSSH2_SFTP_S_ISCHR(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFCHR)
#define LIBSSH2_SFTP_S_ISBLK(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFBLK)
#define LIBSSH2_SFTP_S_ISFIFO(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFIFO)
#define LIBSSH2_SFTP_S_ISSOCK(m) (((m) & LIBSSH2_SFTP_S_IFMT) == LIBSSH2_SFTP_S_IFSOCK)

/* Open flags (SSH_FXF_*). */
#define LIBSSH2_FXF_READ 0x00000001
#define LIBSSH2_FXF_WRITE 0x00000002
#define LIBSSH2_FXF_APPEND 0x00000004
#define LIBSSH2_FXF_CREAT 0x00000008
#define LIBSSH2_FXF_TRUNC 0x00000010
#define LIBSSH2_FXF_EXCL 0x00000020

/* Server status codes (SSH_FX_*), as returned by libssh2_sftp_last_error(). */
#define LIBSSH2_FX_OK 0UL
#define LIBSSH2_FX_EOF 1UL
#define LIBSSH2_FX_NO_SUCH_FILE 2UL
#define LIBSSH2_FX_PERMISSION_DENIED 3UL
#define LIBSSH2_FX_FAILURE 4UL
#define LIBSSH2_FX_BAD_MESSAGE 5UL
#define LIBSSH2_FX_NO_CONNECTION 6UL
#define LIBSSH2_FX_CONNECTION_LOST 7UL
#define LIBSSH2_FX_OP_UNSUPPORTED 8UL
#define LIBSSH2_FX_INVALID_HANDLE 9UL
#define LIBSSH2_FX_NO_SUCH_PATH 10UL
#define LIBSSH2_FX_FILE_ALREADY_EXISTS 11UL
#define LIBSSH2_FX_WRITE_PROTECT 12UL
#define LIBSSH2_FX_NO_MEDIA 13UL
#define LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM 14UL
#define LIBSSH2_FX_QUOTA_EXCEEDED 15UL
#define LIBSSH2_FX_UNKNOWN_PRINCIPAL 16UL
#define LIBSSH2_FX_LOCK_CONFLICT 17UL
#define LIBSSH2_FX_DIR_NOT_EMPTY 18UL
#define LIBSSH2_FX_NOT_A_DIRECTORY 19UL
#define LIBSSH2_FX_INVALID_FILENAME 20UL
#define LIBSSH2_FX_LINK_LOOP 21UL
/* Misspelled names from early libssh2, kept for old code. */
#define LIBSSH2_FX_UNKNOWN_PRINCIPLE LIBSSH2_FX_UNKNOWN_PRINCIPAL
#define LIBSSH2_FX_LOCK_CONFlICT LIBSSH2_FX_LOCK_CONFLICT

/* Old name of LIBSSH2_ERROR_EAGAIN for SFTP calls. */
#define LIBSSH2SFTP_EAGAIN LIBSSH2_ERROR_EAGAIN

/* libssh2_sftp_init opens a "session" channel, starts the "sftp"
 * subsystem and negotiates the version. Returns the SFTP handle or NULL. */
LIBSSH2_API LIBSSH2_SFTP *libssh2_sftp_init(LIBSSH2_SESSION *session);

/* libssh2_sftp_shutdown closes the subsystem channel and frees |sftp|
 * (open file handles must be closed first). */
LIBSSH2_API int libssh2_sftp_shutdown(LIBSSH2_SFTP *sftp);

/* libssh2_sftp_last_error returns the last LIBSSH2_FX_* status from the
 * server. */
LIBSSH2_API unsigned long libssh2_sftp_last_error(LIBSSH2_SFTP *sftp);

/* libssh2_sftp_get_channel returns the channel under |sftp| (borrowed). */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_sftp_get_channel(LIBSSH2_SFTP *sftp);

/* libssh2_sftp_open_ex opens a file (LIBSSH2_FXF_* |flags|, |mode| for
 * created files) or a directory (|open_type| LIBSSH2_SFTP_OPENDIR).
 * Returns the handle or NULL. */
LIBSSH2_API LIBSSH2_SFTP_HANDLE *libssh2_sftp_open_ex(LIBSSH2_SFTP *sftp,
                                                      const char *filename,
                                                      unsigned int filename_len,
                                                      unsigned long flags, long mode,
                                                      int open_type);
#define libssh2_sftp_open(sftp, filename, flags, mode) \
    libssh2_sftp_open_ex((sftp), (filename), (unsigned int)strlen(filename), (flags), \
                         (mode), LIBSSH2_SFTP_OPENFILE)
#define libssh2_sftp_opendir(sftp, path) \
    libssh2_sftp_open_ex((sftp), (path), (unsigned int)strlen(path), 0, 0, \
                         LIBSSH2_SFTP_OPENDIR)

/* libssh2_sftp_open_ex_r is libssh2_sftp_open_ex() sending the attributes
 * in |attrs| (may be NULL) with the open request. */
LIBSSH2_API LIBSSH2_SFTP_HANDLE *libssh2_sftp_open_ex_r(LIBSSH2_SFTP *sftp,
                                                        const char *filename,
                                                        size_t filename_len,
                                                        unsigned long flags, long mode,
                                                        int open_type,
                                                        LIBSSH2_SFTP_ATTRIBUTES *attrs);
#define libssh2_sftp_open_r(sftp, filename, flags, mode, attrs) \
    libssh2_sftp_open_ex_r((sftp), (filename), strlen(filename), (flags), (mode), \
                           LIBSSH2_SFTP_OPENFILE, (attrs))

/* libssh2_sftp_read reads up to |buffer_maxlen| bytes at the handle's
 * offset. Returns the byte count, 0 at end of file, EAGAIN or an error. */
LIBSSH2_API ssize_t libssh2_sftp_read(LIBSSH2_SFTP_HANDLE *handle, char *buffer,
                                      size_t buffer_maxlen);

/* libssh2_sftp_readdir_ex reads the next directory entry: its name into
 * |buffer| (NUL-terminated), optionally the "ls -l" line into |longentry|
 * and its attributes. Returns the name length, 0 at the end, or error. */
LIBSSH2_API int libssh2_sftp_readdir_ex(LIBSSH2_SFTP_HANDLE *handle, char *buffer,
                                        size_t buffer_maxlen, char *longentry,
                                        size_t longentry_maxlen,
                                        LIBSSH2_SFTP_ATTRIBUTES *attrs);
#define libssh2_sftp_readdir(handle, buffer, buffer_maxlen, attrs) \
    libssh2_sftp_readdir_ex((handle), (buffer), (buffer_maxlen), NULL, 0, (attrs))

/* libssh2_sftp_write writes |count| bytes at the handle's offset.
 * Returns the bytes accepted, EAGAIN or an error. */
LIBSSH2_API ssize_t libssh2_sftp_write(LIBSSH2_SFTP_HANDLE *handle, const char *buffer,
                                       size_t count);

/* libssh2_sftp_fsync asks the server to flush the file to disk
 * ("fsync@openssh.com"). */
LIBSSH2_API int libssh2_sftp_fsync(LIBSSH2_SFTP_HANDLE *handle);

/* libssh2_sftp_close_handle closes and frees a file or directory handle. */
LIBSSH2_API int libssh2_sftp_close_handle(LIBSSH2_SFTP_HANDLE *handle);
#define libssh2_sftp_close(handle) libssh2_sftp_close_handle(handle)
#define libssh2_sftp_closedir(handle) libssh2_sftp_close_handle(handle)

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_sftp_seek is libssh2_sftp_seek64() with a size_t offset. */
LIBSSH2_DEPRECATED(1.0, "Use libssh2_sftp_seek64()")
LIBSSH2_API void libssh2_sftp_seek(LIBSSH2_SFTP_HANDLE *handle, size_t offset);
#endif

/* libssh2_sftp_seek64 moves the handle's file offset (discarding
 * read-ahead). */
LIBSSH2_API void libssh2_sftp_seek64(LIBSSH2_SFTP_HANDLE *handle, libssh2_uint64_t offset);
#define libssh2_sftp_rewind(handle) libssh2_sftp_seek64((handle), 0)

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_sftp_tell is libssh2_sftp_tell64() truncated to size_t. */
LIBSSH2_DEPRECATED(1.0, "Use libssh2_sftp_tell64()")
LIBSSH2_API size_t libssh2_sftp_tell(LIBSSH2_SFTP_HANDLE *handle);
#endif

/* libssh2_sftp_tell64 returns the handle's file offset. */
LIBSSH2_API libssh2_uint64_t libssh2_sftp_tell64(LIBSSH2_SFTP_HANDLE *handle);

/* libssh2_sftp_fstat_ex reads (|setstat| 0) or sets (1) the attributes of
 * an open file. */
LIBSSH2_API int libssh2_sftp_fstat_ex(LIBSSH2_SFTP_HANDLE *handle,
                                      LIBSSH2_SFTP_ATTRIBUTES *attrs, int setstat);
#define libssh2_sftp_fstat(handle, attrs) libssh2_sftp_fstat_ex((handle), (attrs), 0)
#define libssh2_sftp_fsetstat(handle, attrs) libssh2_sftp_fstat_ex((handle), (attrs), 1)

/* libssh2_sftp_rename_ex renames a file; |flags| LIBSSH2_SFTP_RENAME_*
 * (version 3 servers ignore them). */
LIBSSH2_API int libssh2_sftp_rename_ex(LIBSSH2_SFTP *sftp, const char *source_filename,
                                       unsigned int source_filename_len,
                                       const char *dest_filename,
                                       unsigned int dest_filename_len, long flags);
#define libssh2_sftp_rename(sftp, sourcefile, destfile) \
    libssh2_sftp_rename_ex((sftp), (sourcefile), (unsigned int)strlen(sourcefile), \
                           (destfile), (unsigned int)strlen(destfile), \
                           LIBSSH2_SFTP_RENAME_OVERWRITE | LIBSSH2_SFTP_RENAME_ATOMIC | \
                               LIBSSH2_SFTP_RENAME_NATIVE)

/* libssh2_sftp_posix_rename_ex renames with POSIX semantics (replacing
 * the target) using "posix-rename@openssh.com". */
LIBSSH2_API int libssh2_sftp_posix_rename_ex(LIBSSH2_SFTP *sftp, const char *source_filename,
                                             size_t source_filename_len,
                                             const char *dest_filename,
                                             size_t dest_filename_len);
#define libssh2_sftp_posix_rename(sftp, sourcefile, destfile) \
    libssh2_sftp_posix_rename_ex((sftp), (sourcefile), strlen(sourcefile), (destfile), \
                                 strlen(destfile))

/* libssh2_sftp_unlink_ex removes a file. */
LIBSSH2_API int libssh2_sftp_unlink_ex(LIBSSH2_SFTP *sftp, const char *filename,
                                       unsigned int filename_len);
#define libssh2_sftp_unlink(sftp, filename) \
    libssh2_sftp_unlink_ex((sftp), (filename), (unsigned int)strlen(filename))

/* libssh2_sftp_fstatvfs fills *st for the file system holding an open
 * file ("fstatvfs@openssh.com"). */
LIBSSH2_API int libssh2_sftp_fstatvfs(LIBSSH2_SFTP_HANDLE *handle, LIBSSH2_SFTP_STATVFS *st);

/* libssh2_sftp_statvfs fills *st for the file system holding |path|
 * ("statvfs@openssh.com"). */
LIBSSH2_API int libssh2_sftp_statvfs(LIBSSH2_SFTP *sftp, const char *path, size_t path_len,
                                     LIBSSH2_SFTP_STATVFS *st);

/* libssh2_sftp_mkdir_ex creates a directory with |mode|. */
LIBSSH2_API int libssh2_sftp_mkdir_ex(LIBSSH2_SFTP *sftp, const char *path,
                                      unsigned int path_len, long mode);
#define libssh2_sftp_mkdir(sftp, path, mode) \
    libssh2_sftp_mkdir_ex((sftp), (path), (unsigned int)strlen(path), (mode))

/* libssh2_sftp_rmdir_ex removes an empty directory. */
LIBSSH2_API int libssh2_sftp_rmdir_ex(LIBSSH2_SFTP *sftp, const char *path,
                                      unsigned int path_len);
#define libssh2_sftp_rmdir(sftp, path) \
    libssh2_sftp_rmdir_ex((sftp), (path), (unsigned int)strlen(path))

/* libssh2_sftp_stat_ex reads (STAT follows links, LSTAT does not) or sets
 * (SETSTAT) the attributes of |path|. */
LIBSSH2_API int libssh2_sftp_stat_ex(LIBSSH2_SFTP *sftp, const char *path,
                                     unsigned int path_len, int stat_type,
                                     LIBSSH2_SFTP_ATTRIBUTES *attrs);
#define libssh2_sftp_stat(sftp, path, attrs) \
    libssh2_sftp_stat_ex((sftp), (path), (unsigned int)strlen(path), LIBSSH2_SFTP_STAT, \
                         (attrs))
#define libssh2_sftp_lstat(sftp, path, attrs) \
    libssh2_sftp_stat_ex((sftp), (path), (unsigned int)strlen(path), LIBSSH2_SFTP_LSTAT, \
                         (attrs))
#define libssh2_sftp_setstat(sftp, path, attrs) \
    libssh2_sftp_stat_ex((sftp), (path), (unsigned int)strlen(path), \
                         LIBSSH2_SFTP_SETSTAT, (attrs))

/* libssh2_sftp_symlink_ex creates a link |path| -> |target| (SYMLINK), or
 * reads a link's target / canonicalises |path| into |target| of size
 * |target_len| (READLINK, REALPATH; NUL-terminated, returns its length). */
LIBSSH2_API int libssh2_sftp_symlink_ex(LIBSSH2_SFTP *sftp, const char *path,
                                        unsigned int path_len, char *target,
                                        unsigned int target_len, int link_type);
#define libssh2_sftp_symlink(sftp, orig, linkpath) \
    libssh2_sftp_symlink_ex((sftp), (orig), (unsigned int)strlen(orig), (linkpath), \
                            (unsigned int)strlen(linkpath), LIBSSH2_SFTP_SYMLINK)
#define libssh2_sftp_readlink(sftp, path, target, maxlen) \
    libssh2_sftp_symlink_ex((sftp), (path), (unsigned int)strlen(path), (target), \
                            (maxlen), LIBSSH2_SFTP_READLINK)
#define libssh2_sftp_realpath(sftp, path, target, maxlen) \
    libssh2_sftp_symlink_ex((sftp), (path), (unsigned int)strlen(path), (target), \
                            (maxlen), LIBSSH2_SFTP_REALPATH)

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* LIBSSH2_SFTP_H */
