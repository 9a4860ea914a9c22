// Every browser test starts as a fresh browser profile would: no exercise session saved by an
// earlier test (web/session-store.ts), which the app would otherwise restore.
import { beforeEach } from 'vitest';

beforeEach(async () => {
  await new Promise<void>((resolve) => {
    const request = indexedDB.deleteDatabase('sandtable');
    request.onsuccess = () => resolve();
    request.onerror = () => resolve();
  });
});
