// The key table's header, the grid's first row: select-all, a sort button per column (Shift+← and
// Shift+→ on it resize the column; its right edge is dragged with the mouse), and the Columns menu
// that hides and shows columns. What the admin changes is saved with the connection's view.
import { ActionIcon, Menu, Text, UnstyledButton } from '@mantine/core';
import { memo } from 'react';
import {
  COLUMN_WIDTH_LIMITS,
  type ColumnLayout,
  HIDEABLE_COLUMNS,
  type ResizableColumn,
  type TableColumn,
} from '../../../../shared/ipc/window-data';
import type { Sort } from '../../../../shared/key-index';
import { DEFAULT_COLUMNS } from '../../stores/view-store';
import classes from './KeysTable.module.css';
import { type ColumnId, DATA_COLUMNS, isResizable } from './table-columns';

const KEY_STEP_PX = 16;
const labelOf = (id: ColumnId) => DATA_COLUMNS.find((column) => column.id === id)?.label ?? id;
const clampWidth = (px: number) => Math.round(Math.min(COLUMN_WIDTH_LIMITS.max, Math.max(COLUMN_WIDTH_LIMITS.min, px)));
const PINNED: Partial<Record<ColumnId, string | undefined>> = { label: classes.pinLabel, flags: classes.pinFlags };

interface HeaderProps {
  shown: ColumnId[];
  layout: ColumnLayout;
  sort: Sort;
  allShownSelected: boolean;
  onSelectShown(on: boolean): void;
  onSort(column: TableColumn): void;
  onColumns(layout: ColumnLayout): void;
  /** The grid's active column when the active cell is in the header, else -1 (grid-navigation.ts). */
  activeCol: number;
}

// Memoized: a search re-renders the table, and the header has nothing to change then.
export const KeysTableHeader = memo(function KeysTableHeader({
  shown,
  layout,
  sort,
  allShownSelected,
  onSelectShown,
  onSort,
  onColumns,
  activeCol,
}: HeaderProps) {
  const resize = (column: ResizableColumn, px: number) =>
    onColumns({ ...layout, widths: { ...layout.widths, [column]: clampWidth(px) } });
  const stop = (col: number) => (col === activeCol ? 0 : -1);
  // Shift+← and Shift+→ on a column's header: narrower or wider (the arrows alone move in the grid).
  const resizeByKey = (event: React.KeyboardEvent<HTMLElement>, id: ColumnId) => {
    const step = event.key === 'ArrowRight' ? KEY_STEP_PX : event.key === 'ArrowLeft' ? -KEY_STEP_PX : 0;
    if (!event.shiftKey || step === 0 || !isResizable(id)) return;
    event.preventDefault();
    const cell = event.currentTarget.closest('[role="columnheader"]');
    resize(id, (cell?.getBoundingClientRect().width ?? 0) + step);
  };
  return (
    <div className={`${classes.row} ${classes.header}`} role="row" aria-rowindex={1} data-grid-row={-1}>
      <div role="columnheader" className={`${classes.cell} ${classes.pinSelect}`}>
        <input
          type="checkbox"
          tabIndex={stop(0)}
          data-grid-col={0}
          className={classes.select}
          aria-label="Select every key shown"
          checked={allShownSelected}
          onChange={(event) => onSelectShown(event.currentTarget.checked)}
          data-testid="select-shown"
        />
      </div>
      {shown.map((id, index) => (
        <div
          key={id}
          role="columnheader"
          className={`${classes.cell} ${classes.headerCell} ${PINNED[id] ?? ''}`}
          aria-sort={
            id === 'flags'
              ? undefined
              : sort.column === id
                ? sort.direction === 'asc'
                  ? 'ascending'
                  : 'descending'
                : 'none'
          }
          data-column={id}
        >
          {id === 'flags' ? (
            <Text size="sm" fw={600} tabIndex={stop(index + 1)} data-grid-col={index + 1}>
              {labelOf(id)}
            </Text>
          ) : (
            <UnstyledButton
              onClick={() => onSort(id)}
              onKeyDown={(event: React.KeyboardEvent<HTMLButtonElement>) => resizeByKey(event, id)}
              tabIndex={stop(index + 1)}
              data-grid-col={index + 1}
              aria-keyshortcuts="Shift+ArrowLeft Shift+ArrowRight"
              data-testid={`sort-${id}`}
            >
              <Text size="sm" fw={600}>
                {labelOf(id)} {sort.column === id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
              </Text>
            </UnstyledButton>
          )}
          {isResizable(id) && <ResizeHandle column={id} onResize={resize} />}
        </div>
      ))}
      <div role="columnheader" className={`${classes.cell} ${classes.pinMenu}`}>
        <ColumnsMenu layout={layout} onColumns={onColumns} tabIndex={stop(shown.length + 1)} col={shown.length + 1} />
      </div>
    </div>
  );
});

/** A column's right edge, for the mouse (the keyboard resizes from the header: Shift+arrows). */
function ResizeHandle(props: { column: ResizableColumn; onResize(column: ResizableColumn, px: number): void }) {
  const { column, onResize } = props;
  const drag = (event: React.PointerEvent<HTMLDivElement>) => {
    const target = event.currentTarget;
    const from = target.parentElement?.getBoundingClientRect().width ?? 0;
    const startX = event.clientX;
    target.setPointerCapture(event.pointerId);
    const move = (moved: PointerEvent) => onResize(column, from + moved.clientX - startX);
    const stop = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', stop);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', stop);
    event.preventDefault();
  };
  return <div aria-hidden className={classes.resizer} onPointerDown={drag} data-testid={`resize-${column}`} />;
}

function ColumnsMenu({
  layout,
  onColumns,
  tabIndex,
  col,
}: {
  layout: ColumnLayout;
  onColumns(layout: ColumnLayout): void;
  tabIndex: number;
  col: number;
}) {
  const hidden = new Set<string>(layout.hidden);
  const toggle = (id: (typeof HIDEABLE_COLUMNS)[number]) =>
    onColumns({
      ...layout,
      hidden: hidden.has(id) ? layout.hidden.filter((other) => other !== id) : [...layout.hidden, id],
    });
  return (
    <Menu position="bottom-end" withinPortal closeOnItemClick={false}>
      <Menu.Target>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label="Columns"
          tabIndex={tabIndex}
          data-grid-col={col}
          data-testid="columns-menu"
        >
          ⚙
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Columns (label, flags and actions always show)</Menu.Label>
        {HIDEABLE_COLUMNS.map((id) => (
          <Menu.Item
            key={id}
            // Mantine writes role="menuitem" over any role given; React sets it once, so the
            // element's own role, set after, stays (aria-checked is allowed on a checkbox item only).
            ref={(item: HTMLButtonElement | null) => item?.setAttribute('role', 'menuitemcheckbox')}
            aria-checked={!hidden.has(id)}
            leftSection={<span aria-hidden>{hidden.has(id) ? '' : '✓'}</span>}
            onClick={() => toggle(id)}
            data-testid={`column-${id}`}
          >
            {labelOf(id)}
          </Menu.Item>
        ))}
        <Menu.Divider />
        <Menu.Item onClick={() => onColumns(DEFAULT_COLUMNS)} data-testid="columns-reset">
          Reset columns and widths
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
