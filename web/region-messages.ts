// What region-check, region-prepare and zip say, in the UI's language: the catalogue's
// `regionMsg_<English text>` keys; a message it lacks (the scenario parser's own) stays in English.
import { translate, type Lang } from './i18n.ts';

/** An engine message in the UI's language where the catalogue has it (else as the engine wrote it). */
export function regionMessage(lang: Lang, message: string): string {
  const key = message.startsWith('could not be loaded') ? 'regionMsg_could not be loaded' : `regionMsg_${message}`;
  const text = translate(lang, key);
  if (text === key) return message;
  return message.startsWith('could not be loaded') ? `${text}${message.slice('could not be loaded'.length)}` : text;
}
