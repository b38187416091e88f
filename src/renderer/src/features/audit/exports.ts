// Export and import from the window. Files are built here from the inventory the window already
// holds, so a remote connection's cached copy exports while offline, and an imported file
// re-exports, exactly like live data. Nothing in them is secret.
import { type AuditInventory, audit } from '../../../../shared/audit';
import { toHtmlReport } from '../../../../shared/report/html-report';
import { toIcs } from '../../../../shared/report/ics';
import { type InventorySnapshot, toCsvExport, toJsonExport } from '../../../../shared/report/inventory-file';
import { ipc, onEvent } from '../../ipc';
import { currentTime } from '../../stores/clock-store';
import { useConnectionStore } from '../../stores/connection-store';
import { useInventoryStore } from '../../stores/inventory-store';
import { activityOf } from '../../stores/key-use-store';
import { usePolicyStore } from '../../stores/policy-store';
import { useWorkflowStore } from '../../stores/workflow-store';

export const EXPORT_FORMATS = {
  csv: { label: 'Inventory and findings (CSV)', mime: 'text/csv' },
  json: { label: 'Inventory and findings (JSON)', mime: 'application/json' },
  html: { label: 'Printable report (HTML)', mime: 'text/html' },
  ics: { label: 'Expiry dates (calendar, .ics)', mime: 'text/calendar' },
} as const;
export type ExportFormat = keyof typeof EXPORT_FORMATS;

function snapshot(now: number): {
  data: InventorySnapshot;
  workflows: Pick<AuditInventory, 'exposures' | 'rotations'>;
} {
  const { connection, accounts, entries, environments, syncedAt } = useInventoryStore.getState();
  const { exposures, rotations, ...use } = activityOf(connection?.id ?? null, useWorkflowStore.getState().workflows);
  const data: InventorySnapshot = {
    source: {
      name: connection?.name ?? 'Keyhold',
      kind: connection?.kind ?? 'embedded',
      base_url: connection?.base_url ?? null,
      synced_at: syncedAt,
    },
    exported_at: new Date(now).toISOString(),
    accounts,
    keys: entries.map((entry) => entry.key),
    environments,
    ...use,
  };
  return { data, workflows: { exposures, rotations } };
}

/**
 * The file's name and content; the audit is run again at `now` so the file states one moment. No
 * content: nothing to put in that file (a calendar without a key that expires).
 */
export function buildExport(format: ExportFormat, now = currentTime()): { name: string; content: string | null } {
  const { data, workflows } = snapshot(now);
  const { policy } = usePolicyStore.getState();
  // The incidents' exposures and the rotations are the app's, not the file's: they change findings,
  // not the inventory.
  const result = audit({ ...data, ...workflows }, policy, now);
  const slug =
    data.source.name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'inventory';
  const name = `keyhold-${slug}-${data.exported_at.slice(0, 10)}.${format}`;
  const content =
    format === 'csv'
      ? toCsvExport(data, result)
      : format === 'json'
        ? toJsonExport(data, policy, result)
        : format === 'html'
          ? toHtmlReport(data, policy, result, now)
          : toIcs(data.keys, data.source.name, now, policy.expiringDays);
  return { name, content };
}

/** Hands the file to the browser's download (Electron asks where to save it); null when there is nothing to save. */
export function download(format: ExportFormat): string | null {
  const { name, content } = buildExport(format);
  if (content === null) return null;
  const url = URL.createObjectURL(new Blob([content], { type: `${EXPORT_FORMATS[format].mime};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** Opens an exported file as a read-only connection and shows it; main reports rows read as it goes. */
export async function importInventoryFile(
  file: File,
  onProgress: (done: number, total: number) => void,
): Promise<string> {
  const stop = onEvent('import:progress', (progress) => {
    if (progress.file_name === file.name) onProgress(progress.done, progress.total);
  });
  try {
    const info = await ipc.connections.import({ file_name: file.name, content: await file.text() });
    await useConnectionStore.getState().load();
    await useInventoryStore.getState().load();
    return info.name;
  } finally {
    stop();
  }
}
