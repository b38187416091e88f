// One table row, kept lean on purpose: plain elements and CSS classes (no per-row tooltips, menus
// or popovers), so a search that swaps every visible row renders within a frame. Exact times show
// as native tooltips; the row's menu is shared by the whole table (RowMenu).
import { Fragment, memo } from 'react';
import type { AuditPolicy, RuleId } from '../../../../shared/audit';
import type { ApiKey } from '../../../../shared/domain';
import type { IndexedKey } from '../../../../shared/key-index';
import { afterKeyRelease } from '../../lib/after-key-release';
import { DAY_MS, exactTime, shortRelativeTime } from '../../lib/format';
import { flagLabel, RULE_FLAGS, rulesOf } from './badges';
import classes from './KeysTable.module.css';
import type { ColumnId } from './table-columns';

export const ROW_HEIGHT = 44;

interface KeyRowProps {
  entry: IndexedKey;
  /** The audit rules that found something on this key, as bits (AuditResult.ruleBitsByKey). */
  rules: number;
  top: number;
  accountName: string;
  inKeychain: boolean;
  now: number;
  selected: boolean;
  /** The day a finished rotation scheduled this key's deletion, if any. */
  onSelect(key: ApiKey, on: boolean): void;
  /** For the numbers in flags and the red expiry: the current policy. */
  policy: AuditPolicy;
  onOpen(key: ApiKey): void;
  onMenu(key: ApiKey, anchor: HTMLElement): void;
  /** The columns shown, in order (the table's layout). */
  columns: ColumnId[];
  /** The row's place in the view (its grid row). */
  index: number;
  /** The grid's active column when the active cell is in this row, else -1 (grid-navigation.ts). */
  activeCol: number;
}

/** Red within the policy's expiring window (the `expiring` flag), orange within 30 days. */
function expiryClass(iso: string | null, now: number, expiringDays: number): string {
  if (iso === null) return classes.dimmed ?? '';
  const left = Date.parse(iso) - now;
  return (left <= expiringDays * DAY_MS ? classes.danger : left <= 30 * DAY_MS ? classes.warning : '') ?? '';
}

/**
 * Enter and Space on a row's checkbox or ⋯ button are theirs, not the row's (Enter opens the key's
 * details, Space ticks it); every other key goes on up, to the grid's arrows and the shortcuts.
 */
function ownKeysOnly(event: React.KeyboardEvent): void {
  if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
}

export const KeyTableRow = memo(function KeyTableRow({
  entry,
  rules,
  top,
  accountName,
  inKeychain,
  now,
  selected,
  onSelect,
  policy,
  onOpen,
  onMenu,
  columns,
  index,
  activeCol,
}: KeyRowProps) {
  const { key } = entry;
  // The one Tab stop of the grid is the active cell; the others are reached with the arrows.
  const stop = (col: number) => (col === activeCol ? 0 : -1);
  const cellProps = (id: ColumnId) => {
    const col = columns.indexOf(id) + 1;
    return { role: 'gridcell', tabIndex: stop(col), 'data-grid-col': col };
  };
  const cells: Record<ColumnId, React.JSX.Element> = {
    label: (
      <div {...cellProps('label')} className={`${classes.cell} ${classes.label} ${classes.pinLabel}`}>
        <span className={classes.labelText}>{key.label}</span>
        {inKeychain && (
          <span
            className={classes.keychain}
            role="img"
            aria-label="secret in the OS keychain"
            title="The secret is in the OS keychain"
            data-testid="in-keychain"
          >
            ●
          </span>
        )}
      </div>
    ),
    partial_key: (
      <div {...cellProps('partial_key')} className={`${classes.cell} ${classes.mono}`}>
        {key.partial_key}…
      </div>
    ),
    status: (
      <div {...cellProps('status')} className={classes.cell}>
        <span className={`${classes.status} ${classes[key.status]}`} data-testid="status-badge">
          {key.status}
        </span>
      </div>
    ),
    account: (
      <div {...cellProps('account')} className={`${classes.cell} ${classes.truncate}`}>
        {accountName}
      </div>
    ),
    created_at: (
      <div {...cellProps('created_at')} className={classes.cell} title={exactTime(key.created_at)}>
        {shortRelativeTime(key.created_at, now)}
      </div>
    ),
    last_used_at: (
      <div
        {...cellProps('last_used_at')}
        className={`${classes.cell} ${key.last_used_at ? '' : classes.dimmed}`}
        title={exactTime(key.last_used_at)}
      >
        {shortRelativeTime(key.last_used_at, now)}
      </div>
    ),
    expires_at: (
      <div
        {...cellProps('expires_at')}
        className={`${classes.cell} ${expiryClass(key.expires_at, now, policy.expiringDays)}`}
        title={exactTime(key.expires_at)}
      >
        {shortRelativeTime(key.expires_at, now)}
      </div>
    ),
    flags: (
      <div {...cellProps('flags')} className={`${classes.cell} ${classes.pinFlags}`}>
        <Flags deletesAt={key.deletes_at} rules={rulesOf(rules)} policy={policy} />
      </div>
    ),
  };

  return (
    <div
      role="row"
      aria-rowindex={index + 2}
      data-grid-row={index}
      className={`${classes.row} ${classes.dataRow}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid="key-row"
      data-key-id={key.id}
      onClick={() => onOpen(key)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onOpen(key);
        else if (event.key === ' ') {
          event.preventDefault(); // no page scroll: Space ticks the row
          onSelect(key, !selected);
        } else if ((event.key === 'F10' && event.shiftKey) || event.key === 'ContextMenu') {
          event.preventDefault();
          const button = event.currentTarget.querySelector<HTMLElement>('button[aria-haspopup="menu"]');
          // Once the keys are up: the menu, made now, would take this keydown for a press outside it.
          if (button) afterKeyRelease(() => onMenu(key, button));
        }
      }}
    >
      <div role="gridcell" className={`${classes.cell} ${classes.pinSelect}`}>
        <input
          type="checkbox"
          className={classes.select}
          checked={selected}
          aria-label={`Select ${key.label}`}
          tabIndex={stop(0)}
          data-grid-col={0}
          onClick={(event) => event.stopPropagation()}
          onKeyDown={ownKeysOnly}
          onChange={(event) => onSelect(key, event.currentTarget.checked)}
          data-testid="row-select"
        />
      </div>
      {columns.map((id) => (
        <Fragment key={id}>{cells[id]}</Fragment>
      ))}
      <div role="gridcell" className={`${classes.cell} ${classes.pinMenu}`}>
        <button
          type="button"
          tabIndex={stop(columns.length + 1)}
          data-grid-col={columns.length + 1}
          className={classes.menuButton}
          aria-label={`Actions for ${key.label}`}
          aria-haspopup="menu"
          onClick={(event) => {
            event.stopPropagation();
            onMenu(key, event.currentTarget);
          }}
          // Enter here opens the menu only, not the row's details as well.
          onKeyDown={ownKeysOnly}
        >
          ⋯
        </button>
      </div>
    </div>
  );
});

/**
 * The most pressing flag as a badge and "+N" for the rest, whose words are in its tooltip and
 * accessible name: a narrow column that never cuts a badge in half.
 */
function Flags({ deletesAt, rules, policy }: { deletesAt: string | null; rules: RuleId[]; policy: AuditPolicy }) {
  const flags: Array<{ id: string; words: string; tone: string }> = [];
  if (deletesAt) flags.push({ id: 'delete_scheduled', words: `delete on ${deletesAt.slice(0, 10)}`, tone: 'warning' });
  for (const rule of rules) flags.push({ id: rule, words: flagLabel(rule, policy), tone: RULE_FLAGS[rule].tone });
  const [first, ...rest] = flags;
  if (!first) return null;
  return (
    <>
      <span className={`${classes.flag} ${classes[`flag_${first.tone}`]}`} data-testid="key-flag" data-rule={first.id}>
        {first.words}
      </span>
      {rest.length > 0 && (
        <span
          className={`${classes.flag} ${classes.flagMore}`}
          role="img"
          aria-label={`also: ${rest.map((flag) => flag.words).join(', ')}`}
          title={rest.map((flag) => flag.words).join('\n')}
          data-testid="key-flag-more"
          data-rules={rest.map((flag) => flag.id).join(' ')}
        >
          +{rest.length}
        </span>
      )}
    </>
  );
}
