// Leak scan: folders on this machine (and their git history) searched for the platform's keys,
// each found key graded by the active inventory, with what to do about it: revoke, rotate, the
// compromised-key response, and the history clean-up for its repository.
import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  CopyButton,
  Group,
  Loader,
  Paper,
  Stack,
  Tabs,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMemo } from 'react';
import type { ApiKey } from '../../../../shared/domain';
import {
  classifyHits,
  type ExposedFileFinding,
  historyPlace,
  historyState,
  inventoryIndex,
  type KeyFinding,
  type KeyLocation,
  type LookalikeFinding,
  placeText,
  type RawScanReport,
  skipSummary,
} from '../../../../shared/scan/findings';
import { exactTime, formatCount } from '../../lib/format';
import { selectComplete, useInventoryStore } from '../../stores/inventory-store';
import { foldersOf, useScanStore } from '../../stores/scan-store';
import { useUiStore } from '../../stores/ui-store';
import { SEVERITY_COLOR } from '../audit/severity';
import { StatusBadge } from '../keys/badges';
import { startWorkflow } from '../workflows/workflow-commands';
import { historyCleanup, scannedRepositoryOf, untrackFile } from './cleanup-commands';

const megabytes = (bytes: number) =>
  bytes < 1_048_576 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`;

function Progress() {
  const progress = useScanStore((state) => state.progress);
  return (
    <Group gap="sm" data-testid="scan-progress" aria-live="polite">
      <Loader size="sm" />
      <Text size="sm">
        {progress === null
          ? 'Starting…'
          : progress.phase === 'history'
            ? `${formatCount(progress.files)} files (${megabytes(progress.bytes)}); now the git history of ${progress.folder}`
            : `${formatCount(progress.files)} files (${megabytes(progress.bytes)}); reading ${progress.folder}`}
      </Text>
    </Group>
  );
}

function Summary({ report }: { report: RawScanReport }) {
  const { files, bytes, skipped, repositories } = report.counts;
  const skips = skipSummary(skipped);
  return (
    <Text size="sm" c="dimmed" data-testid="scan-summary">
      Scanned {formatCount(files)} files ({megabytes(bytes)})
      {repositories.length > 0 &&
        `, in ${repositories.length} git ${repositories.length === 1 ? 'repository' : 'repositories'}`}
      .{skips.length > 0 && ` Skipped: ${skips.join(', ')}.`}
    </Text>
  );
}

function where(location: KeyLocation): string {
  const at = placeText(location);
  if (location.origin !== 'history') return at;
  if (location.commit === null) return `${at}, in an object no commit brought in`;
  const date = location.author_date ? ` (${exactTime(location.author_date)})` : '';
  return `${historyPlace(location)}${date}, ${historyState(location)}`;
}

/** A command to run elsewhere, with a button that copies it (no secret: keys are named by their public part). */
function CommandBlock({ label, text }: { label: string; text: string }) {
  return (
    <Stack gap={4}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" fw={600}>
          {label}
        </Text>
        <CopyButton value={text} timeout={2000}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant={copied ? 'light' : 'default'}
              color={copied ? 'teal' : undefined}
              onClick={copy}
              aria-label={copied ? 'Copied' : `Copy the command for ${label}`}
              data-testid="copy-command"
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Code block data-testid="cleanup-command">
        {text}
      </Code>
    </Stack>
  );
}

function HistoryCleanup({ finding, repositories }: { finding: KeyFinding; repositories: string[] }) {
  const repos = [
    ...new Set(
      finding.locations
        .filter((location) => location.origin === 'history')
        .map((location) => scannedRepositoryOf(repositories, location.path))
        .filter((repository): repository is string => repository !== null),
    ),
  ];
  if (repos.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="history-cleanup">
      <Text size="sm" fw={600}>
        Clean the history: revoke the key first (a rewritten history does not stop a copy already taken), then for each
        repository run one of these, and tell everyone who cloned it to clone again.
      </Text>
      {repos.map((repository) => {
        const commands = historyCleanup(repository, finding.partial_key);
        return (
          <Tabs key={repository} defaultValue="filter-repo" variant="outline">
            <Tabs.List>
              <Tabs.Tab value="filter-repo">git filter-repo</Tabs.Tab>
              <Tabs.Tab value="bfg">BFG</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="filter-repo" pt="xs">
              <CommandBlock label={repository} text={commands.filterRepo} />
            </Tabs.Panel>
            <Tabs.Panel value="bfg" pt="xs">
              <CommandBlock label={repository} text={commands.bfg} />
            </Tabs.Panel>
          </Tabs>
        );
      })}
    </Stack>
  );
}

function KeyFindingCard({
  finding,
  keyRecord,
  repositories,
}: {
  finding: KeyFinding;
  keyRecord: ApiKey | null;
  repositories: string[];
}) {
  const open = useUiStore((state) => state.open);
  const readOnly = useInventoryStore((state) => state.readOnlyReason !== null);
  // While the window has only the first keys, a key not among them may still be one of the platform's.
  const everyKeyIn = useInventoryStore(selectComplete);
  const known = finding.key;
  const firstSeen = finding.locations
    .map((location) => location.author_date)
    .filter((date): date is string => date !== null)
    .sort()[0];
  return (
    <Paper withBorder p="md" data-testid="scan-finding" data-partial-key={finding.partial_key}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Group gap="sm">
            <Badge color={SEVERITY_COLOR[finding.severity]}>{finding.severity}</Badge>
            <Text fw={600} ff="monospace">
              {finding.partial_key}…
            </Text>
            {known ? (
              <>
                <Text>
                  “{known.label}” in {known.account_name}
                </Text>
                <StatusBadge status={known.status} />
              </>
            ) : (
              <Text c="dimmed" data-testid="scan-finding-unknown">
                {everyKeyIn
                  ? 'not in this inventory: check the platform it came from'
                  : 'not among the keys loaded so far: graded again once every key is in'}
              </Text>
            )}
          </Group>
          {keyRecord && (
            <Group gap="xs" wrap="nowrap">
              {keyRecord.status === 'active' && (
                <Button
                  size="xs"
                  color="orange"
                  disabled={readOnly}
                  onClick={() => open({ revokeKeyId: keyRecord.id })}
                  data-testid="scan-revoke"
                >
                  Revoke now…
                </Button>
              )}
              <Button
                size="xs"
                variant="light"
                disabled={readOnly}
                onClick={() => void startWorkflow('rotation', keyRecord)}
              >
                Rotate…
              </Button>
              <Button
                size="xs"
                variant="light"
                color="red"
                disabled={readOnly}
                onClick={() => void startWorkflow('incident', keyRecord, firstSeen ?? null)}
              >
                Compromised…
              </Button>
            </Group>
          )}
        </Group>
        {known && (
          <Text size="xs" c="dimmed">
            Last used {known.last_used_at ? exactTime(known.last_used_at) : 'never'}
          </Text>
        )}
        <Stack gap={2} component="ul" style={{ margin: 0, paddingLeft: 18 }}>
          {finding.locations.map((location) => (
            <Text
              key={`${location.origin}:${location.commit ?? ''}:${location.path}:${location.line}:${location.column}`}
              size="sm"
              component="li"
              ff="monospace"
              data-testid="scan-location"
            >
              {location.origin === 'history' ? 'history: ' : ''}
              {where(location)}
            </Text>
          ))}
        </Stack>
        <HistoryCleanup finding={finding} repositories={repositories} />
      </Stack>
    </Paper>
  );
}

function ExposedFileCard({ finding, repositories }: { finding: ExposedFileFinding; repositories: string[] }) {
  const repository = scannedRepositoryOf(repositories, finding.path);
  return (
    <Paper withBorder p="md" data-testid="scan-exposed-file">
      <Stack gap="xs">
        <Group gap="sm">
          <Badge color={SEVERITY_COLOR.warning}>warning</Badge>
          <Text ff="monospace">{finding.path}</Text>
          <Text>{finding.state === 'tracked' ? 'is tracked by git' : 'is not covered by .gitignore'}</Text>
        </Group>
        {repository && finding.state === 'tracked' && (
          <CommandBlock label="Stop tracking it" text={untrackFile(repository, finding.path)} />
        )}
      </Stack>
    </Paper>
  );
}

function Lookalikes({ findings }: { findings: LookalikeFinding[] }) {
  if (findings.length === 0) return null;
  return (
    <Paper withBorder p="md" data-testid="scan-lookalikes">
      <Text size="sm">
        {findings.length} {findings.length === 1 ? 'string has' : 'strings have'} a key’s shape but a checksum that
        fails: not keys (examples, test fixtures, typos). Nothing to do.
      </Text>
      <Text size="xs" c="dimmed" ff="monospace">
        {findings.map((finding) => `${finding.partial_key}… ${finding.locations.map(where).join(', ')}`).join('; ')}
      </Text>
    </Paper>
  );
}

function Results({ report }: { report: RawScanReport }) {
  const accounts = useInventoryStore((state) => state.accounts);
  const entries = useInventoryStore((state) => state.entries);
  // Graded again only when the report or the inventory changes, not on every render (100,000 keys).
  const { byId, findings } = useMemo(() => {
    const keys = entries.map((entry) => entry.key);
    return {
      byId: new Map(keys.map((key) => [key.id, key])),
      findings: classifyHits(report.hits, inventoryIndex({ accounts, keys }), report.exposed),
    };
  }, [report, accounts, entries]);
  const keyFindings = findings.filter((finding): finding is KeyFinding => finding.kind === 'key');
  const files = findings.filter((finding): finding is ExposedFileFinding => finding.kind === 'exposed_file');
  const lookalikes = findings.filter((finding): finding is LookalikeFinding => finding.kind === 'lookalike');
  const repositories = report.counts.repositories;
  return (
    <Stack>
      <Summary report={report} />
      {keyFindings.length === 0 && files.length === 0 && (
        <Alert color="teal" data-testid="scan-clean">
          No key of the platform and no exposed secret file in these folders.
        </Alert>
      )}
      {keyFindings.map((finding) => (
        <KeyFindingCard
          key={finding.partial_key}
          finding={finding}
          keyRecord={finding.key ? (byId.get(finding.key.id) ?? null) : null}
          repositories={repositories}
        />
      ))}
      {files.map((finding) => (
        <ExposedFileCard key={finding.path} finding={finding} repositories={repositories} />
      ))}
      <Lookalikes findings={lookalikes} />
    </Stack>
  );
}

export function ScanPage() {
  const { folders, gitHistory, status, report, error, setFolders, setGitHistory, start, cancel } = useScanStore();
  const running = status === 'running';
  return (
    <Stack maw={1100}>
      <Title order={1} size="h2">
        Leak scan
      </Title>
      <Text size="sm" c="dimmed">
        Finds the platform’s keys in files and git history on this machine. A key’s checksum tells it from a lookalike;
        the inventory says whose it is and whether it still works. Secrets are never shown or sent anywhere.
      </Text>
      <Textarea
        label="Folders to scan"
        description="Absolute paths, one per line"
        autosize
        minRows={2}
        value={folders}
        onChange={(event) => setFolders(event.currentTarget.value)}
        disabled={running}
        data-testid="scan-folders"
      />
      <Checkbox
        label="Include git history: every commit of every branch and tag, files deleted since too"
        checked={gitHistory}
        onChange={(event) => setGitHistory(event.currentTarget.checked)}
        disabled={running}
        data-testid="scan-history"
      />
      <Group>
        <Button
          onClick={() => void start()}
          disabled={running || foldersOf(folders).length === 0}
          data-testid="scan-start"
        >
          Scan
        </Button>
        {running && (
          <Button variant="default" onClick={() => void cancel()} data-testid="scan-cancel">
            Cancel
          </Button>
        )}
      </Group>
      {running && <Progress />}
      {status === 'failed' && (
        <Alert color="red" title="The scan failed" data-testid="scan-error">
          {error}
        </Alert>
      )}
      {status === 'cancelled' && <Alert data-testid="scan-cancelled">The scan was cancelled.</Alert>}
      {status === 'done' && report && <Results report={report} />}
    </Stack>
  );
}
