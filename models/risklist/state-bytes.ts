// A saved grading state's byte layout (little-endian, as wasm memory is): whole regions copied as
// they are, and counts before variable-length runs. The reader checks every length it is given.

export class StateWriter {
  private readonly out: Uint8Array;
  private at = 0;
  /** Writes into the first `length` bytes of `into` when it is long enough (the state's length varies with the timers running). */
  constructor(length: number, into?: Uint8Array) { this.out = into && into.length >= length ? into.subarray(0, length) : new Uint8Array(length); }

  bytes(b: Uint8Array): void { this.out.set(b, this.at); this.at += b.length; }
  f64s(a: Float64Array): void { this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)); }
  i32s(a: Int32Array): void { this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)); }
  i32(x: number): void { this.i32s(Int32Array.of(x)); }

  done(): Uint8Array {
    if (this.at !== this.out.length) throw new Error(`grading state: wrote ${this.at} of ${this.out.length} bytes`);
    return this.out;
  }
}

export class StateReader {
  private at = 0;
  constructor(private readonly input: Uint8Array) {}

  bytes(length: number): Uint8Array {
    if (this.at + length > this.input.length) throw new Error(`grading state: ${this.input.length} bytes end before ${this.at + length}`);
    const out = this.input.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
  // Copies: a run may sit at any offset, and typed arrays need aligned ones.
  f64s(count: number): Float64Array { return new Float64Array(this.bytes(8 * count).slice().buffer); }
  i32s(count: number): Int32Array { return new Int32Array(this.bytes(4 * count).slice().buffer); }
  i32(): number { return this.i32s(1)[0]; }

  end(): void {
    if (this.at !== this.input.length) throw new Error(`grading state: ${this.input.length - this.at} bytes left over`);
  }
}
