// glibc's GNU extensions to posix_spawn that Swift's Glibc module does not import (they sit
// behind _GNU_SOURCE). Wrapped here, in a file compiled with _GNU_SOURCE, so that the
// ChildProcess module can use them.
#ifndef CSPAWN_EXTRAS_H
#define CSPAWN_EXTRAS_H

#include <spawn.h>

/// In the child, close every descriptor from `from` up: nothing the parent happens to have
/// open (another test's pipe, a database file) leaks into it. glibc >= 2.34.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// In the child, change to `path` before exec. glibc >= 2.29.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// A pipe whose both ends are close-on-exec from birth (pipe2 with O_CLOEXEC), so no other
/// thread's spawn can inherit it between creation and a later fcntl.
int cspawn_pipe_cloexec(int fds[2]);

#endif
