// Expiry dates as an iCalendar file (RFC 5545): an all-day event on each key's expiry day (UTC)
// with a reminder 7 days before, the platform's advised notice, or for a key expiring sooner as
// early as can still fire. Revoked and already expired keys have nothing to remind of and are left
// out; with no key left there is no calendar (RFC 5545 wants at least one component).
import type { ApiKey } from '../domain';
import { isoToMs } from '../utc-time';

// RFC 5545 §3.3.11: backslash, semicolon, comma escaped; every line break (CRLF, LF or a bare CR) as \n.
const escapeText = (text: string) =>
  text
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

const utf8 = new TextEncoder();

/** Lines longer than 75 octets continue on the next line after a space (RFC 5545 §3.1). */
function fold(line: string): string {
  if (utf8.encode(line).length <= 75) return line;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const char of line) {
    const length = utf8.encode(char).length;
    if (size + length > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += length;
  }
  parts.push(current);
  return parts.join('\r\n ');
}

const DAY_MS = 86_400_000;

/** The iCalendar text, or null when no key has an expiry to remind of. */
export function toIcs(keys: ApiKey[], sourceName: string, now: number, noticeDays = 7): string | null {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Keyhold//API key expiries//EN',
    'CALSCALE:GREGORIAN',
    `X-WR-CALNAME:${escapeText(`API key expiries: ${sourceName}`)}`,
  ];
  for (const key of keys) {
    if (key.expires_at === null || key.status === 'revoked') continue;
    const expires = isoToMs(key.expires_at);
    if (expires <= now) continue;
    const next = expires + DAY_MS;
    // Days from now to the start of the expiry day: a reminder further back than that has passed.
    const daysLeft = Math.floor(
      (Date.parse(`${new Date(expires).toISOString().slice(0, 10)}T00:00:00Z`) - now) / DAY_MS,
    );
    const notice = Math.min(noticeDays, Math.max(0, daysLeft));
    lines.push(
      'BEGIN:VEVENT',
      `UID:${key.id}-expiry@keyhold`,
      `DTSTAMP:${stamp(now)}`,
      `DTSTART;VALUE=DATE:${day(expires)}`,
      `DTEND;VALUE=DATE:${day(next)}`,
      `SUMMARY:${escapeText(`API key “${key.label}” (${key.partial_key}) expires`)}`,
      `DESCRIPTION:${escapeText(`Expires at ${key.expires_at} (UTC). Rotate it before then: create a replacement, update the apps that use it, then revoke the old key.`)}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      `DESCRIPTION:${escapeText(`API key “${key.label}” expires ${notice === 0 ? 'today' : `in ${notice} ${notice === 1 ? 'day' : 'days'}`}`)}`,
      notice === 0 ? 'TRIGGER:PT0S' : `TRIGGER:-P${notice}D`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  if (!lines.includes('BEGIN:VEVENT')) return null;
  lines.push('END:VCALENDAR');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
