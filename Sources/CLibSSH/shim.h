#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>
