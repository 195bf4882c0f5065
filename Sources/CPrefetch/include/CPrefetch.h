#ifndef BACKUPSIM_CPREFETCH_H
#define BACKUPSIM_CPREFETCH_H

// A hint to the processor to start loading the cache line at `address`: it never faults and never
// changes what the program computes, whatever the address. Swift has no spelling for it.
static inline void backupsim_prefetch(const void *address) {
  __builtin_prefetch(address, 1, 3);
}

#endif
