// Confusable skeletons (Unicode TS #39, section 4): two texts that a reader cannot tell apart
// ("Billing prod" in Latin letters and with Cyrillic і, о, р) have the same skeleton. The table
// is parsed once, when first needed (the audit's first label: about a millisecond), not at start.
import { CONFUSABLES } from './confusables-data';

let prototypes: Map<number, string> | null = null;

function prototypeTable(): Map<number, string> {
  if (prototypes) return prototypes;
  prototypes = new Map();
  for (const line of CONFUSABLES.split('\n')) {
    const tab = line.indexOf('\t');
    const prototype = line.slice(0, tab);
    for (const char of line.slice(tab + 1)) prototypes.set(char.codePointAt(0) as number, prototype);
  }
  return prototypes;
}

/** skeleton(X): NFD, every character replaced by its prototype, NFD again. */
export function skeleton(text: string): string {
  // ASCII text and its prototypes are already NFD: the table of ASCII skeletons is enough.
  const codes = asciiSkeletonCodes();
  let ascii = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 127) return fullSkeleton(text);
    const at = code * 4;
    ascii += String.fromCharCode(...codes.subarray(at + 1, at + 1 + (codes[at] as number)));
  }
  return ascii;
}

function fullSkeleton(text: string): string {
  const table = prototypeTable();
  let out = '';
  for (const char of text.normalize('NFD')) out += table.get(char.codePointAt(0) as number) ?? char;
  return out.normalize('NFD');
}

let asciiCodes: Int32Array | null = null;

/**
 * The skeleton of each ASCII character as UTF-16 codes, for a scan that allocates nothing: at
 * [code * 4] how many (1-3), then the codes (mostly the character itself: 0 → O, 1 / I / | → l,
 * m → rn...).
 */
export function asciiSkeletonCodes(): Int32Array {
  if (asciiCodes) return asciiCodes;
  const codes = new Int32Array(128 * 4);
  for (let code = 0; code < 128; code++) {
    const prototype = fullSkeleton(String.fromCharCode(code));
    if (prototype.length > 3) throw new Error(`confusables: the skeleton of ${code} is longer than 3`);
    codes[code * 4] = prototype.length;
    for (let i = 0; i < prototype.length; i++) codes[code * 4 + 1 + i] = prototype.charCodeAt(i);
  }
  asciiCodes = codes;
  return codes;
}
