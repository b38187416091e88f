// The key table's header: select-all, a sort button per column, a resize handle on each column's
// right edge (drag it, or focus it and use the arrow keys), and the Columns menu that hides and
// shows columns. What the admin changes is saved with the connection's view.
import { ActionIcon, Menu, Text, UnstyledButton } from '@mantine/core';
import { memo, useEffect, useRef, useState } from 'react';
import {
  COLUMN_WIDTH_LIMITS,
  type ColumnLayout,
  HIDEABLE_COLUMNS,
  type ResizableColumn,
  type TableColumn,
} from '../../../../shared/ipc/window-data';
import type { Sort } from '../../../../shared/key-index';
import { firstScreenDrawn } from '../../lib/first-screen';
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
}: HeaderProps) {
  const resize = (column: ResizableColumn, px: number) =>
    onColumns({ ...layout, widths: { ...layout.widths, [column]: clampWidth(px) } });
  return (
    <div className={`${classes.row} ${classes.header}`} role="row">
      <div role="columnheader" className={`${classes.cell} ${classes.pinSelect}`}>
        <input
          type="checkbox"
          className={classes.select}
          aria-label="Select every key shown"
          checked={allShownSelected}
          onChange={(event) => onSelectShown(event.currentTarget.checked)}
          data-testid="select-shown"
        />
      </div>
      {shown.map((id) => (
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
            <Text size="sm" fw={600}>
              {labelOf(id)}
            </Text>
          ) : (
            <UnstyledButton onClick={() => onSort(id)} data-testid={`sort-${id}`}>
              <Text size="sm" fw={600}>
                {labelOf(id)} {sort.column === id ? (sort.direction === 'asc' ? '▲' : '▼') : ''}
              </Text>
            </UnstyledButton>
          )}
          {isResizable(id) && <ResizeHandle column={id} width={layout.widths[id]} onResize={resize} />}
        </div>
      ))}
      <div role="columnheader" className={`${classes.cell} ${classes.pinMenu}`}>
        <ColumnsMenu layout={layout} onColumns={onColumns} />
      </div>
    </div>
  );
});

function ResizeHandle(props: {
  column: ResizableColumn;
  width: number | undefined;
  onResize(column: ResizableColumn, px: number): void;
}) {
  const { column, width, onResize } = props;
  const handle = useRef<HTMLDivElement>(null);
  // The width on screen, for the arrow keys and for screen readers (a flexible column has no
  // number of its own until it is resized).
  const [measured, setMeasured] = useState(width ?? 0);
  const cellWidth = () => handle.current?.parentElement?.getBoundingClientRect().width ?? width ?? 0;
  const measure = () => setMeasured(Math.round(cellWidth()));
  // Measured when the width changes and on focus, not on every render: reading a width forces a
  // layout, and the header renders with every filter keystroke. Never before the first screen is
  // drawn: read during the first commit, it forced a layout of its own.
  // biome-ignore lint/correctness/useExhaustiveDependencies: measure reads the DOM, width is the trigger
  useEffect(() => {
    let live = true;
    void firstScreenDrawn.then(() => live && measure());
    return () => {
      live = false;
    };
  }, [width]);

  const drag = (event: React.PointerEvent<HTMLDivElement>) => {
    const target = event.currentTarget;
    const from = cellWidth();
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
  return (
    <div
      ref={handle}
      role="separator"
      aria-orientation="vertical"
      aria-label={`Resize ${labelOf(column)}`}
      aria-valuenow={measured}
      aria-valuemin={COLUMN_WIDTH_LIMITS.min}
      aria-valuemax={COLUMN_WIDTH_LIMITS.max}
      tabIndex={0}
      className={classes.resizer}
      onPointerDown={drag}
      onFocus={measure}
      onKeyDown={(event) => {
        const step = event.key === 'ArrowRight' ? KEY_STEP_PX : event.key === 'ArrowLeft' ? -KEY_STEP_PX : 0;
        if (step === 0) return;
        event.preventDefault();
        onResize(column, cellWidth() + step);
      }}
      data-testid={`resize-${column}`}
    />
  );
}

function ColumnsMenu({ layout, onColumns }: { layout: ColumnLayout; onColumns(layout: ColumnLayout): void }) {
  const hidden = new Set<string>(layout.hidden);
  const toggle = (id: (typeof HIDEABLE_COLUMNS)[number]) =>
    onColumns({
      ...layout,
      hidden: hidden.has(id) ? layout.hidden.filter((other) => other !== id) : [...layout.hidden, id],
    });
  return (
    <Menu position="bottom-end" withinPortal closeOnItemClick={false}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Columns" data-testid="columns-menu">
          ⚙
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Columns (label, flags and actions always show)</Menu.Label>
        {HIDEABLE_COLUMNS.map((id) => (
          <Menu.Item
            key={id}
            role="menuitemcheckbox"
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
