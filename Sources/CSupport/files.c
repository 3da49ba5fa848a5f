#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include "CSupport.h"

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

int dlx_remove_tree(const char *path) {
    // Depth first, never following symbolic links: a link out of the tree is removed, not its target.
    return nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}
