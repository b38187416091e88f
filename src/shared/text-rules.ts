// The one rule for text from anyone (labels, names, descriptions, searches, file names, lines of a
// scanned file): which characters are hidden, how stored text is refused or normalised, and how
// text is escaped on its way to a terminal or another tool.

/**
 * Characters that act or hide instead of showing: controls (C0, DEL, C1: U+009B alone is a
 * terminal's CSI), format characters (the bidi marks, embeddings, overrides and isolates, zero-width
 * characters, soft hyphen, BOM, tag characters, U+FFF9-FFFB), line and paragraph separators, lone
 * surrogates, and every default-ignorable code point (U+3164 and the other Hangul fillers, U+2060-206F,
 * variation selectors...). Written with \p{...} classes, so the OpenAPI document states the same rule.
 */
export const HIDDEN_CHARACTER_CLASS = '[\\p{Cc}\\p{Cf}\\p{Cs}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}]';

const HIDDEN = new RegExp(HIDDEN_CHARACTER_CLASS, 'u');
const HIDDEN_ALL = new RegExp(HIDDEN_CHARACTER_CLASS, 'gu');
/** Text with no hidden character: the pattern stored text must match. */
export const WITHOUT_HIDDEN_CHARACTERS = new RegExp(`^(?:(?!${HIDDEN_CHARACTER_CLASS}).)*$`, 'su');

/** What nothing visible is made of: white space, the braille blank, and marks with nothing to mark. */
const BLANK = /^[\p{White_Space}\u2800\p{M}]*$/u;

/** `U+202E`: how a message names a character. */
export const codePointName = (char: string): string =>
  `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`;

/** The first hidden character of `text`, named, with its position (1-based, in characters); null when there is none. */
export function firstHiddenCharacter(text: string): string | null {
  const match = HIDDEN.exec(text);
  if (!match) return null;
  return `${codePointName(match[0])} at character ${[...text.slice(0, match.index)].length + 1}`;
}

/** Whether the text shows nothing at all (it may still hold characters). */
export const isBlank = (text: string): boolean => BLANK.test(text);

/** Text for a terminal or a log line: each hidden character shown as its `\u{…}` escape. */
export const escapeHidden = (text: string): string =>
  text.replace(HIDDEN_ALL, (char) => `\\u{${(char.codePointAt(0) as number).toString(16)}}`);

/**
 * JSON for another tool (a report, SARIF): each hidden character written as its \uXXXX escape, so
 * the document holds none raw (a terminal or a viewer showing it is safe) and parses to the same data.
 */
export function toSafeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(HIDDEN_ALL, (char) => {
    if (char === '\n') return char; // the layout's own line breaks: inside a string JSON has escaped it
    let escaped = '';
    for (let i = 0; i < char.length; i++) escaped += `\\u${char.charCodeAt(i).toString(16).padStart(4, '0')}`;
    return escaped;
  });
}
