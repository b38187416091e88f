// One table row, kept lean on purpose: plain elements and CSS classes (no per-row tooltips, menus
// or popovers), so a search that swaps every visible row renders within a frame. Exact times show
// as native tooltips; the row's menu is shared by the whole table (RowMenu).
import { Fragment, memo } from 'react';
import type { AuditPolicy } from '../../../../shared/audit';
import type { ApiKey } from '../../../../shared/domain';
import type { IndexedKey } from '../../../../shared/key-index';
import { DAY_MS, exactTime, relativeTime } from '../../lib/format';
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
}

/** Red within the policy's expiring window (the `expiring` flag), orange within 30 days. */
function expiryClass(iso: string | null, now: number, expiringDays: number): string {
  if (iso === null) return classes.dimmed ?? '';
  const left = Date.parse(iso) - now;
  return (left <= expiringDays * DAY_MS ? classes.danger : left <= 30 * DAY_MS ? classes.warning : '') ?? '';
}

/**
 * Enter and Space on a row's checkbox or ⋯ button are theirs, not the row's (which opens the key's
 * details); every other key goes on up, so Ctrl+K and the other shortcuts work from them too.
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
}: KeyRowProps) {
  const { key } = entry;
  const cells: Record<ColumnId, React.JSX.Element> = {
    label: (
      <div role="cell" className={`${classes.cell} ${classes.label} ${classes.pinLabel}`}>
        <span className={classes.truncate}>{key.label}</span>
        {inKeychain && (
          <span className={classes.keychain} title="The secret is in the OS keychain" data-testid="in-keychain">
            ● keychain
          </span>
        )}
      </div>
    ),
    partial_key: (
      <div role="cell" className={`${classes.cell} ${classes.mono}`}>
        {key.partial_key}…
      </div>
    ),
    status: (
      <div role="cell" className={classes.cell}>
        <span className={`${classes.status} ${classes[key.status]}`} data-testid="status-badge">
          {key.status}
        </span>
      </div>
    ),
    account: (
      <div role="cell" className={`${classes.cell} ${classes.truncate}`}>
        {accountName}
      </div>
    ),
    created_at: (
      <div role="cell" className={classes.cell} title={exactTime(key.created_at)}>
        {relativeTime(key.created_at, now)}
      </div>
    ),
    last_used_at: (
      <div
        role="cell"
        className={`${classes.cell} ${key.last_used_at ? '' : classes.dimmed}`}
        title={exactTime(key.last_used_at)}
      >
        {relativeTime(key.last_used_at, now)}
      </div>
    ),
    expires_at: (
      <div
        role="cell"
        className={`${classes.cell} ${expiryClass(key.expires_at, now, policy.expiringDays)}`}
        title={exactTime(key.expires_at)}
      >
        {relativeTime(key.expires_at, now)}
      </div>
    ),
    flags: (
      <div role="cell" className={`${classes.cell} ${classes.pinFlags}`}>
        {key.deletes_at && (
          <span
            className={`${classes.flag} ${classes.flag_warning}`}
            data-testid="key-flag"
            data-rule="delete_scheduled"
          >
            delete on {key.deletes_at.slice(0, 10)}
          </span>
        )}
        {rulesOf(rules).map((rule) => (
          <span
            key={rule}
            className={`${classes.flag} ${classes[`flag_${RULE_FLAGS[rule].tone}`]}`}
            data-testid="key-flag"
            data-rule={rule}
          >
            {flagLabel(rule, policy)}
          </span>
        ))}
      </div>
    ),
  };

  return (
    <div
      role="row"
      tabIndex={0}
      className={`${classes.row} ${classes.dataRow}`}
      style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}
      data-testid="key-row"
      data-key-id={key.id}
      onClick={() => onOpen(key)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onOpen(key);
      }}
    >
      <div role="cell" className={`${classes.cell} ${classes.pinSelect}`}>
        <input
          type="checkbox"
          className={classes.select}
          checked={selected}
          aria-label={`Select ${key.label}`}
          onClick={(event) => event.stopPropagation()}
          onKeyDown={ownKeysOnly}
          onChange={(event) => onSelect(key, event.currentTarget.checked)}
          data-testid="row-select"
        />
      </div>
      {columns.map((id) => (
        <Fragment key={id}>{cells[id]}</Fragment>
      ))}
      <div role="cell" className={`${classes.cell} ${classes.pinMenu}`}>
        <button
          type="button"
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
