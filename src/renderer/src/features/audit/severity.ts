import type { Severity } from '../../../../shared/audit';

export const SEVERITY_COLOR: Record<Severity, string> = { critical: 'red', warning: 'orange', info: 'blue' };
export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', warning: 'Warnings', info: 'Notes' };
