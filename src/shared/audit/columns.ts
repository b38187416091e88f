// Findings stored as columns, grown as needed: 150,000 findings cost three typed arrays, not
// 150,000 objects. The audit writes them; AuditResult reads them back into Finding objects.

export class Columns {
  length = 0;
  rules = new Uint8Array(0);
  /** Position of the key in the inventory; for an account-wide finding, -1 - position of the account. */
  subjects = new Int32Array(0);
  /** Days (age, time left...) or a count, depending on the rule. */
  numbers = new Int32Array(0);

  constructor(capacity: number) {
    this.grow(Math.max(capacity, 16));
  }

  push(rule: number, subject: number, n: number): void {
    if (this.length === this.rules.length) this.grow(this.rules.length * 2);
    this.rules[this.length] = rule;
    this.subjects[this.length] = subject;
    this.numbers[this.length] = n;
    this.length++;
  }

  private grow(capacity: number): void {
    const rules = new Uint8Array(capacity);
    const subjects = new Int32Array(capacity);
    const numbers = new Int32Array(capacity);
    rules.set(this.rules);
    subjects.set(this.subjects);
    numbers.set(this.numbers);
    this.rules = rules;
    this.subjects = subjects;
    this.numbers = numbers;
  }
}
