// Raw memory for the host. Kernels work on flat regions the host allocates here and fills
// through typed-array views: one allocation per array per job, never one per cell or step.

export function alloc(bytes: usize): usize {
  const ptr = heap.alloc(bytes);
  // Zero-fill so a region the host forgets to write reads as 0, not as a stale value.
  memory.fill(ptr, 0, bytes);
  return ptr;
}

export function free(ptr: usize): void {
  heap.free(ptr);
}
