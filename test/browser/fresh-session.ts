// Every browser test starts as a fresh browser profile would: no exercise session saved by an
// earlier test (web/session-store.ts), which the app would otherwise restore.
import { beforeEach } from 'vitest';

// Nor a region an earlier test opened (web/region-store.ts), which it would reopen.
const deleteDb = (name: string) => new Promise<void>((resolve) => {
  const request = indexedDB.deleteDatabase(name);
  request.onsuccess = () => resolve();
  request.onerror = () => resolve();
});

beforeEach(async () => {
  await deleteDb('sandtable');
  await deleteDb('sandtable-regions');
});
