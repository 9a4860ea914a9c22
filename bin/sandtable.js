#!/usr/bin/env node
// The CLI runs the TypeScript sources directly (through tsx), so a fresh clone needs no JS build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
