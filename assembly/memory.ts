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

// Element accessors for those regions, shared by every kernel. `index` counts elements, not
// bytes. @inline so each call is a bare load/store at -O3, as a hand-written one would be.
@inline export function f64At(base: usize, index: i32): f64 {
  return load<f64>(base + (<usize>index << 3));
}

@inline export function setF64(base: usize, index: i32, value: f64): void {
  store<f64>(base + (<usize>index << 3), value);
}

@inline export function i32At(base: usize, index: i32): i32 {
  return load<i32>(base + (<usize>index << 2));
}

@inline export function setI32(base: usize, index: i32, value: i32): void {
  store<i32>(base + (<usize>index << 2), value);
}

@inline export function i8At(base: usize, index: i32): i32 {
  return <i32>load<i8>(base + <usize>index);
}

@inline export function setI8(base: usize, index: i32, value: i32): void {
  store<i8>(base + <usize>index, <i8>value);
}

@inline export function u8At(base: usize, index: i32): i32 {
  return <i32>load<u8>(base + <usize>index);
}

@inline export function setU8(base: usize, index: i32, value: i32): void {
  store<u8>(base + <usize>index, <u8>value);
}

// A kernel's argument block: f64 slots (assembly/<model>/layout.ts, ARG_*) the host fills in
// place of a long positional list. Counts, flags and pointers are whole numbers, exact in an f64.
@inline export function i32Arg(args: usize, slot: i32): i32 {
  return <i32>f64At(args, slot);
}

@inline export function pointerArg(args: usize, slot: i32): usize {
  return <usize>f64At(args, slot);
}
