// Times shown to people: scenario seconds as the scenario's local clock, durations as h:mm.
export function clockText(startEpochMs: number, offsetMinutes: number, tS: number): string {
  const local = new Date(startEpochMs + tS * 1000 + offsetMinutes * 60000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)}`;
}

export function offsetMinutesOf(isoTime: string): number {
  const match = /([+-])(\d{2}):(\d{2})$/.exec(isoTime);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

export function elapsedText(tS: number): string {
  const hours = Math.floor(tS / 3600);
  const minutes = Math.floor((tS % 3600) / 60);
  return `T+${hours}:${String(minutes).padStart(2, '0')}`;
}
