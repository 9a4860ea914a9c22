// The console by keyboard: the clock's shortcuts (Space plays or pauses, "." steps, Home rewinds)
// anywhere but where keys mean something else (a field, a menu, a button, a slider, the tab list),
// and the tab list as WAI-ARIA's tabs pattern (arrows, Home and End move along the tabs and open
// the one reached; only the open tab is in the Tab order).
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ClockCommand } from './components/timeline-bar.ts';

/** The shortcuts as aria-keyshortcuts names them, for the timeline's buttons. */
export const CLOCK_KEYS = { playPause: 'Space', step: '.', rewind: 'Home' } as const;

/** Elements whose own keys win over the shortcuts (typing, choosing, pressing, sliding, tabs). */
function ownsKeys(target: EventTarget | undefined): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (['input', 'select', 'textarea', 'button', 'option'].includes(target.localName)) return true;
  return ['tab', 'slider', 'listbox', 'combobox', 'textbox', 'spinbutton', 'menuitem'].includes(target.getAttribute('role') ?? '');
}

export class ClockShortcuts implements ReactiveController {
  private readonly onKey = (event: KeyboardEvent): void => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    // The element that has the focus, inside shadow roots.
    if (ownsKeys(event.composedPath()[0])) return;
    const command = event.key === ' ' ? this.playPause() : event.key === '.' ? 'step' : event.key === 'Home' ? 'rewind' : undefined;
    if (!command) return;
    event.preventDefault();
    this.send({ command });
  };

  constructor(host: ReactiveControllerHost, private readonly playPause: () => 'play' | 'pause', private readonly send: (command: ClockCommand) => void) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('keydown', this.onKey);
  }

  hostDisconnected(): void {
    window.removeEventListener('keydown', this.onKey);
  }
}

/**
 * Arrow-key movement in a tab list: the next or previous tab (wrapping), or the first or last;
 * undefined for keys the tab list does not take.
 */
export function tabAfterKey<T>(tabs: readonly T[], current: T, key: string): T | undefined {
  const at = tabs.indexOf(current);
  if (key === 'ArrowRight') return tabs[(at + 1) % tabs.length];
  if (key === 'ArrowLeft') return tabs[(at - 1 + tabs.length) % tabs.length];
  if (key === 'Home') return tabs[0];
  if (key === 'End') return tabs[tabs.length - 1];
  return undefined;
}
