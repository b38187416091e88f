// The verifier's cache: entries by public id, each with a 32-byte hash, oldest out first.
//
// Why not a Map: V8's Map chains colliding keys newest first and compares string keys by reading
// each one, so an entry added long ago (a real key, cached when it was first used) costs more to
// find than one added a moment ago (an unknown id an attacker just sent): measured, about 5% of a
// failed verification. Here the 32-bit public id is the key of an open-addressing table in one
// typed array (probes stay in a cache line or two whatever an entry's age), and every hash lives
// in one slab, so finding any entry and reading its hash touch the same kind of memory.
import { randomBytes } from 'node:crypto';

const HASH_BYTES = 32;
const FIRST_CAPACITY = 1024;
const EMPTY = 0; // a table cell's slot field: slot + 1, so 0 is free

/** Each lowercase hex digit's value, by character code. */
const HEX_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let c = 0; c < 16; c++) table['0123456789abcdef'.charCodeAt(c)] = c;
  return table;
})();

/**
 * The public id (8 lowercase hex characters from `at` in `text`) as the 32-bit integer the table is
 * keyed by, read in place: a lookup by a presented key slices nothing. Callers pass hex only (a
 * presented key's shape is checked first; stored ids are hex by construction).
 */
function idNumber(text: string, at: number): number {
  let id = 0;
  for (let i = at; i < at + 8; i++) id = (id << 4) | (HEX_VALUE[text.charCodeAt(i) & 0x7f] as number);
  return id | 0;
}

export class KeyCache<T> {
  private capacity = 0;
  private slab = Buffer.alloc(0);
  private entries: (T | undefined)[] = [];
  private slotIds = new Int32Array(0);
  /** Pairs of (public id, slot + 1), at most half full so probes stay short. */
  private table = new Int32Array(0);
  private mask = 0;
  /** The next slot to fill: slots are reused in the order they were filled (oldest out first). */
  private next = 0;
  private count = 0;
  /** Where an attacker's chosen ids land is unpredictable to them, so they cannot pile up probes. */
  private readonly seed = randomBytes(4).readInt32LE(0);

  constructor(
    private readonly maxEntries: number,
    /** Told of every entry pushed out to make room (not of those deleted or cleared). */
    private readonly onEvict: (entry: T) => void = () => {},
  ) {}

  get size(): number {
    return this.count;
  }

  /** The slot of the entry whose public id is at `at` in `text`, or -1. */
  find(text: string, at = 0): number {
    if (this.count === 0) return -1;
    const id = idNumber(text, at);
    for (let cell = this.home(id); ; cell = (cell + 1) & this.mask) {
      const slot = this.table[2 * cell + 1] as number;
      if (slot === EMPTY) return -1;
      if (this.table[2 * cell] === id) return slot - 1;
    }
  }

  entryAt(slot: number): T {
    return this.entries[slot] as T;
  }

  /**
   * Whether `hash` equals the slot's, in constant time: every byte is compared, with no branch on
   * their values, and without making a view of the slab (an allocation per verification).
   */
  hashEquals(slot: number, hash: Uint8Array): boolean {
    return constantTimeEqual(hash, this.slab, slot * HASH_BYTES);
  }

  /** Adds an entry for an id not in the cache; pushes the oldest out when full. */
  add(publicId: string, hash: Buffer, entry: T): void {
    if (this.maxEntries <= 0) return;
    if (this.next === this.capacity) {
      if (this.capacity < this.maxEntries) this.grow();
      else this.next = 0;
    }
    const slot = this.next++;
    const old = this.entries[slot];
    if (old !== undefined) {
      this.unlink(this.slotIds[slot] as number);
      this.onEvict(old);
    }
    const id = idNumber(publicId, 0);
    hash.copy(this.slab, slot * HASH_BYTES, 0, HASH_BYTES);
    this.entries[slot] = entry;
    this.slotIds[slot] = id;
    this.link(id, slot);
  }

  /** Removes the id's entry and returns it. Its slot stays free until the ring comes round to it. */
  delete(publicId: string): T | undefined {
    const slot = this.find(publicId);
    if (slot < 0) return undefined;
    const entry = this.entries[slot];
    this.unlink(this.slotIds[slot] as number);
    return entry;
  }

  clear(): void {
    this.entries.fill(undefined);
    this.table.fill(0);
    this.next = 0;
    this.count = 0;
  }

  private home(id: number): number {
    // murmur3's finaliser: every bit of the id (and the seed) moves every bit of the cell.
    let h = id ^ this.seed;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) & this.mask;
  }

  private link(id: number, slot: number): void {
    let cell = this.home(id);
    while (this.table[2 * cell + 1] !== EMPTY) cell = (cell + 1) & this.mask;
    this.table[2 * cell] = id;
    this.table[2 * cell + 1] = slot + 1;
    this.count++;
  }

  /** Linear probing's deletion by backward shift: no tombstones, so probes never lengthen. */
  private unlink(id: number): void {
    let hole = this.home(id);
    while (this.table[2 * hole] !== id || this.table[2 * hole + 1] === EMPTY) hole = (hole + 1) & this.mask;
    this.entries[(this.table[2 * hole + 1] as number) - 1] = undefined;
    for (let cell = (hole + 1) & this.mask; this.table[2 * cell + 1] !== EMPTY; cell = (cell + 1) & this.mask) {
      const home = this.home(this.table[2 * cell] as number);
      // The entry may move back into the hole only if its home is not between the hole and it.
      const stays = hole <= cell ? hole < home && home <= cell : hole < home || home <= cell;
      if (stays) continue;
      this.table[2 * hole] = this.table[2 * cell] as number;
      this.table[2 * hole + 1] = this.table[2 * cell + 1] as number;
      hole = cell;
    }
    this.table[2 * hole + 1] = EMPTY;
    this.count--;
  }

  /** Doubles the slots (up to maxEntries) and rebuilds the table at most half full. */
  private grow(): void {
    const capacity = Math.min(this.maxEntries, Math.max(FIRST_CAPACITY, this.capacity * 2));
    const slab = Buffer.alloc(capacity * HASH_BYTES);
    this.slab.copy(slab);
    this.slab = slab;
    const slotIds = new Int32Array(capacity);
    slotIds.set(this.slotIds);
    this.slotIds = slotIds;
    this.entries.length = capacity;
    let cells = 1;
    while (cells < capacity * 2) cells *= 2;
    this.table = new Int32Array(cells * 2);
    this.mask = cells - 1;
    this.capacity = capacity;
    this.count = 0;
    for (let slot = 0; slot < this.next; slot++) {
      if (this.entries[slot] !== undefined) this.link(this.slotIds[slot] as number, slot);
    }
  }
}

/** `a` (32 bytes) against 32 bytes of `b` from `offset`, in constant time. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array, offset = 0): boolean {
  if (a.length !== HASH_BYTES || b.length < offset + HASH_BYTES) return false;
  let difference = 0;
  for (let i = 0; i < HASH_BYTES; i++) difference |= (a[i] as number) ^ (b[offset + i] as number);
  return difference === 0;
}
