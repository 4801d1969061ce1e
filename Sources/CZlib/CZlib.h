/*
 * CZlib.h: Debian's zlib (apt: zlib1g-dev), for the run records' deflated effects.
 *
 * Only the one-shot calls are used (compress2, uncompress, compressBound): zlib's format
 * (RFC 1950), the one the sqlite3 shell's sqlar_uncompress() reads, so a deflated record
 * can still be read with the shell alone.
 */
#ifndef CZLIB_H
#define CZLIB_H
#include <zlib.h>
#endif
