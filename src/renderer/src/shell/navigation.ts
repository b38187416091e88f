import type { Page } from '../../../shared/app-info';

/** The sidebar's pages, in order; the command palette lists the same. */
export const NAVIGATION: Array<{ page: Page; label: string; description: string }> = [
  { page: 'keys', label: 'Keys', description: 'Inventory of every key' },
  { page: 'audit', label: 'Audit', description: 'Findings and fixes' },
  { page: 'rotations', label: 'Rotations', description: 'Rotations and incidents' },
  { page: 'scan', label: 'Leak scan', description: 'Keys in files and git' },
  { page: 'settings', label: 'Settings', description: 'Connection and policy' },
];
