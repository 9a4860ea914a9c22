// The live page reads the change feed with fetch streaming (EventSource cannot send the token in
// a header), so it splits server-sent events itself: WHATWG HTML §9.2.6 "Interpreting an event
// stream" — blank line ends an event, ":" lines are comments, one optional space after the colon
// is dropped, several data lines join with "\n", CRLF and CR end lines too.
import { describe, expect, it } from 'vitest';
import { parseSse } from '../../web/live/live-api.ts';

describe('parseSse', () => {
  it('splits the service\'s frames and keeps an unfinished one for the next chunk', () => {
    const text = ': sandtable risk-list changes\n\nid: 1\nevent: change\ndata: {"seq":1}\n\n: keep-alive\n\nid: 2\nevent: change\ndata: {"se';
    const { events, rest } = parseSse(text);
    expect(events).toEqual([{ id: '1', event: 'change', data: '{"seq":1}' }]);
    expect(rest).toBe('id: 2\nevent: change\ndata: {"se');
    expect(parseSse(`${rest}q":2}\n\n`)).toEqual({ events: [{ id: '2', event: 'change', data: '{"seq":2}' }], rest: '' });
  });

  it('follows the spec on line ends, spaces, multi-line data and the default event type', () => {
    expect(parseSse('data:a\r\ndata:  b\r\n\r\ndata\rfield-unknown: x\r\r').events).toEqual([
      { event: 'message', data: 'a\n b' },
      { event: 'message', data: '' },
    ]);
  });
});
