// How long the page's own thread was kept busy: the longest gap between ticks of a 20 ms timer.
// A frozen page is what a trainer notices; this sees it without instrumenting the code under test.
export interface TimerGaps { readonly longestMs: number; stop(): void }

export function watchTimerGaps(periodMs = 20): TimerGaps {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; }, periodMs);
  return { get longestMs() { return longest; }, stop: () => clearInterval(timer) };
}
