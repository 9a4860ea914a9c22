// Every Node test file starts with the kernels loaded: host-side math that must match the browser
// bit for bit comes from them (models/dmath.ts), and it refuses to run before they are there.
import { loadKernels } from '../models/wasm-node.ts';

await loadKernels();
