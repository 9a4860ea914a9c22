// A table's rows by keyboard, one Tab stop for the whole list (WAI-ARIA grid-like roving focus):
// the arrows, Home and End move along the rows, Enter or Space opens the row with the focus.
export function rowKeys(event: KeyboardEvent, open: (row: HTMLElement) => void, rowSelector = 'tr'): void {
  const row = (event.target as HTMLElement).closest<HTMLElement>(rowSelector);
  if (!row?.parentElement) return;
  const rows = [...row.parentElement.children] as HTMLElement[];
  const at = rows.indexOf(row);
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[event.key];
  if (to !== undefined) {
    event.preventDefault();
    rows[Math.max(0, Math.min(rows.length - 1, to))]?.focus();
  } else if (event.key === 'Enter' || event.key === ' ') {
    event.preventDefault();
    // Space here opens the row; it must not reach the console's play/pause shortcut.
    event.stopPropagation();
    open(row);
  }
}
