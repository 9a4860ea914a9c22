// The engine version recorded with every result (with the scenario and the seed).
export const ENGINE_VERSION = '0.1.0';
