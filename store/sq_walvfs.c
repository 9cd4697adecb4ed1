/*
 * NAME
 *	sq_walvfs 3
 * SUMMARY
 *	SQLite's "unix" file system, with one write per write-ahead-log commit
 * SYNOPSIS
 *	#include "sq_walvfs.h"
 *
 *	const char *sq_walvfs_name(void);
 * DESCRIPTION
 *	sq_walvfs_name() registers, once per process, a VFS of SQLite
 *	over its default "unix" one and returns its name for
 *	sqlite3_open_v2() (NULL, the default VFS, when it could not). The
 *	store's own connections (db_sqlite.c) open through it; it is never
 *	made the default.
 *
 *	Every file but the write-ahead log is opened by the "unix" VFS
 *	itself, with its own methods: nothing changes for it. The log's
 *	file gets the methods below. SQLite writes each frame of a commit
 *	as two writes (the 24-byte frame header, then the page): a group
 *	commit of forty pages made eighty pwrite(2) calls. Here writes
 *	that follow each other in the file are gathered in a buffer and
 *	given to the "unix" VFS as one write:
 *
 *	- when the page of the commit frame has been added (a frame header
 *	  whose bytes 4..7, the database size after the commit, are not
 *	  zero marks its frame as a commit frame: the SQLite file format,
 *	  section "WAL file format"). SQLite marks the frames committed in
 *	  the wal-index, where other connections and processes look for
 *	  them, only after that write has returned; so they are in the
 *	  file (the page cache) before anyone may read them, and the
 *	  fsync(2) that follows covers them as before;
 *
 *	- before any other call on the file (a read, sync, truncate, size,
 *	  lock, file control, close) and before a write that does not
 *	  continue the buffer, which is then written in its turn;
 *
 *	- when the buffer would pass SQW_GATHER_MAX bytes.
 *
 *	"unix" writes at most 0x1ffff bytes a call (os_unix.c cuts a
 *	longer write short, then reports the disk full): the buffer is
 *	written in pieces of SQW_WRITE_MAX bytes (whole 4 KiB blocks).
 *
 *	A write at the place the file was last read from (SQLite reads a
 *	frame back and rewrites its header when it recomputes the
 *	checksums of a transaction that overwrote its own frames) goes to
 *	the file at once, as does a write longer than SQW_WRITE_MAX. What the
 *	buffer held when its write failed is lost with the transaction
 *	it belongs to: the call returns the error, as the write would have.
 * DIAGNOSTICS
 *	The "unix" VFS's result codes; SQLITE_NOMEM when a buffer cannot
 *	grow (the write is then made at once instead).
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "sq_walvfs.h"

#define SQW_NAME		"links-wal"	/* the VFS's name */
#define SQW_GATHER_MAX		(512 * 1024)	/* the most bytes held before a write */
#define SQW_GATHER_MIN		(64 * 1024)	/* the buffer's first size */
#define SQW_WRITE_MAX		(124 * 1024)	/* one write of "unix": it makes at most 0x1ffff bytes */
#define SQW_FRAME_HDR		24	/* a WAL frame header */
#define SQW_COMMIT_AT		4	/* its big-endian database size: not 0 in a commit frame */
#define SQW_ALIGN		8	/* the real file's place after ours */

/* The write-ahead log's file: ours, then the "unix" VFS's. */
struct sqw_file {
	sqlite3_file base;
	sqlite3_file *real;		/* the "unix" file, just after this */
	unsigned char *buf;		/* writes not yet made */
	int	len;			/* bytes in buf */
	int	cap;			/* buf's size */
	sqlite3_int64 at;		/* where buf[0] goes in the file */
	int	commit;			/* buf ends with a commit frame's header */
	sqlite3_int64 last_read;	/* the offset of the last read, -1 none */
};

#define SQW_SIZE	((sizeof(struct sqw_file) + SQW_ALIGN - 1) / SQW_ALIGN * SQW_ALIGN)

static sqlite3_vfs *sqw_unix;		/* the VFS under ours */
static sqlite3_vfs sqw_vfs;		/* ours */
static int sqw_ok;			/* ours is registered */

/*
 * sqw_flush - make the buffered writes: one write of the "unix" VFS
 * per SQW_WRITE_MAX bytes (it cuts a longer one short, and then fails)
 */
static int
sqw_flush(struct sqw_file *f)
{
	int	rc = SQLITE_OK, done, n;

	for (done = 0; done < f->len && rc == SQLITE_OK; done += n) {
		n = f->len - done < SQW_WRITE_MAX ? f->len - done : SQW_WRITE_MAX;
		rc = f->real->pMethods->xWrite(f->real, f->buf + done, n, f->at + done);
	}
	f->len = 0;
	f->commit = 0;
	return (rc);
}

/* sqw_room - room for N more bytes in the buffer; 0 when it cannot have it */
static int
sqw_room(struct sqw_file *f, int n)
{
	unsigned char *p;
	int	cap;

	if (f->len + n <= f->cap)
		return (1);
	for (cap = f->cap ? f->cap : SQW_GATHER_MIN; cap < f->len + n; cap *= 2)
		 /* void */ ;
	if (cap > SQW_GATHER_MAX || (p = sqlite3_realloc(f->buf, cap)) == NULL)
		return (0);
	f->buf = p;
	f->cap = cap;
	return (1);
}

/* sqw_is_commit_hdr - whether the N bytes P are the header of a commit frame */
static int
sqw_is_commit_hdr(const unsigned char *p, int n)
{
	return (n == SQW_FRAME_HDR && (p[SQW_COMMIT_AT] | p[SQW_COMMIT_AT + 1]
				       | p[SQW_COMMIT_AT + 2] | p[SQW_COMMIT_AT + 3]) != 0);
}

/* sqw_write - gather writes that follow each other; see above */
static int
sqw_write(sqlite3_file *file, const void *data, int n, sqlite3_int64 off)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc, was_commit;

	if (f->len > 0 && (off != f->at + f->len || f->len + n > SQW_GATHER_MAX))
		if ((rc = sqw_flush(f)) != SQLITE_OK)
			return (rc);
	if (off == f->last_read || n > SQW_WRITE_MAX || !sqw_room(f, n)) {
		if ((rc = sqw_flush(f)) != SQLITE_OK)
			return (rc);
		return (f->real->pMethods->xWrite(f->real, data, n, off));
	}
	if (f->len == 0)
		f->at = off;
	memcpy(f->buf + f->len, data, (size_t) n);
	f->len += n;
	was_commit = f->commit;
	f->commit = sqw_is_commit_hdr(data, n);
	/* The commit frame's page follows its header: the commit is whole. */
	if (was_commit)
		return (sqw_flush(f));
	return (SQLITE_OK);
}

/* sqw_read - the buffered writes, then the read */
static int
sqw_read(sqlite3_file *file, void *data, int n, sqlite3_int64 off)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc;

	if ((rc = sqw_flush(f)) != SQLITE_OK)
		return (rc);
	f->last_read = off;
	return (f->real->pMethods->xRead(f->real, data, n, off));
}

/* sqw_close - the buffered writes, then close */
static int
sqw_close(sqlite3_file *file)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f), rc2;

	rc2 = f->real->pMethods->xClose(f->real);
	sqlite3_free(f->buf);
	f->buf = NULL;
	f->cap = 0;
	return (rc != SQLITE_OK ? rc : rc2);
}

/* sqw_truncate - the buffered writes, then truncate */
static int
sqw_truncate(sqlite3_file *file, sqlite3_int64 size)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size));
}

/* sqw_sync - the buffered writes, then sync */
static int
sqw_sync(sqlite3_file *file, int flags)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags));
}

/* sqw_file_size - the buffered writes, then the size */
static int
sqw_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size));
}

/* sqw_lock - the buffered writes, then lock */
static int
sqw_lock(sqlite3_file *file, int level)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xLock(f->real, level));
}

/* sqw_unlock - the buffered writes, then unlock */
static int
sqw_unlock(sqlite3_file *file, int level)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xUnlock(f->real, level));
}

/* sqw_check_reserved - the buffered writes, then ask */
static int
sqw_check_reserved(sqlite3_file *file, int *out)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xCheckReservedLock(f->real, out));
}

/* sqw_file_control - the buffered writes, then the control */
static int
sqw_file_control(sqlite3_file *file, int op, void *arg)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc = sqw_flush(f);

	return (rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg));
}

/* sqw_sector_size - the "unix" file's */
static int
sqw_sector_size(sqlite3_file *file)
{
	struct sqw_file *f = (struct sqw_file *) file;

	return (f->real->pMethods->xSectorSize(f->real));
}

/* sqw_device - the "unix" file's characteristics */
static int
sqw_device(sqlite3_file *file)
{
	struct sqw_file *f = (struct sqw_file *) file;

	return (f->real->pMethods->xDeviceCharacteristics(f->real));
}

/* Version 1: a log file is never mapped nor used for shared memory. */
static const sqlite3_io_methods sqw_methods = {
	1, sqw_close, sqw_read, sqw_write, sqw_truncate, sqw_sync, sqw_file_size, sqw_lock,
	sqw_unlock, sqw_check_reserved, sqw_file_control, sqw_sector_size, sqw_device,
	NULL, NULL, NULL, NULL, NULL, NULL
};

/* sqw_open - the log through our methods; any other file as the "unix" VFS opens it */
static int
sqw_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *oflags)
{
	struct sqw_file *f = (struct sqw_file *) file;
	int	rc;

	(void) vfs;
	if (!(flags & SQLITE_OPEN_WAL))
		return (sqw_unix->xOpen(sqw_unix, name, file, flags, oflags));
	memset(f, 0, sizeof(*f));
	f->real = (sqlite3_file *) ((char *) file + SQW_SIZE);
	f->last_read = -1;
	rc = sqw_unix->xOpen(sqw_unix, name, f->real, flags, oflags);
	f->base.pMethods = f->real->pMethods != NULL ? &sqw_methods : NULL;
	return (rc);
}

/* sqw_init - register the VFS, once */
static void
sqw_init(void)
{
	if ((sqw_unix = sqlite3_vfs_find("unix")) == NULL)
		return;
	sqw_vfs = *sqw_unix;
	sqw_vfs.szOsFile = (int) SQW_SIZE + sqw_unix->szOsFile;
	sqw_vfs.pNext = NULL;
	sqw_vfs.zName = SQW_NAME;
	sqw_vfs.xOpen = sqw_open;
	sqw_ok = sqlite3_vfs_register(&sqw_vfs, 0) == SQLITE_OK;
}

/* sq_walvfs_name - the name of the VFS to open with (NULL: the default) */
const char *
sq_walvfs_name(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	(void) pthread_once(&once, sqw_init);
	return (sqw_ok ? SQW_NAME : NULL);
}
