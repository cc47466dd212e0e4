#ifndef ROSH_NEIGH_H
#define ROSH_NEIGH_H
#include <stdbool.h>

/* gc_thresh3 of the IPv4 ARP table (global), as `ip ntable show` reads
 * it; false when it can not be read. */
bool ntbl_thresh3(long *v);

#endif
