// Every command's usage text, apart from the commands themselves: \`keyhold --help\` and a usage
// error print them without loading the modules (and packages) a command needs to run.

import { DEFAULT_RATE_LIMITS } from '../platform/rate-limit/token-buckets';
import { DEFAULT_REQUEST_LOG_DAYS } from '../platform/request-log-days';
import { API_KEY_ENV } from '../shared/env-names';
import { DEFAULT_TOMBSTONE_DAYS } from '../shared/sync-limits';

const SOURCE = '[--db FILE | --url URL]';

export const ACCOUNTS_LIST_USAGE = `keyhold accounts list ${SOURCE} [--json]
    The platform key's account and every subaccount below it, as a tree.`;

export const ACCOUNTS_CREATE_USAGE = `keyhold accounts create --name NAME [--parent ID] ${SOURCE} [--json]
    Creates a subaccount (under --parent, default the platform key's own account) and prints its
    id; --json prints the account.`;

export const ACCOUNTS_RENAME_USAGE = `keyhold accounts rename ID --name NAME ${SOURCE} [--json]`;

export const ACCOUNTS_DEACTIVATE_USAGE = `keyhold accounts deactivate ID ${SOURCE} [--json]
    Every key that reaches the account then answers 403 "account is inactive"; keys keep their status.`;

export const ACCOUNTS_ACTIVATE_USAGE = `keyhold accounts activate ID ${SOURCE} [--json]`;

export const ACCOUNTS_USAGE = [
  ACCOUNTS_LIST_USAGE,
  ACCOUNTS_CREATE_USAGE,
  ACCOUNTS_RENAME_USAGE,
  ACCOUNTS_DEACTIVATE_USAGE,
  ACCOUNTS_ACTIVATE_USAGE,
].join('\n');

export const SYNC_USAGE = `keyhold sync (--url URL | --db FILE) --to INVENTORY [--policy FILE]
    Keeps an inventory file in step with a platform, for auditing offline (keyhold audit --file):
    the first run reads every key; later runs read only what changed since the file's sync token
    (a file older than the platform's memory of deletions is read whole again). The file is
    replaced only once the sync is complete. Never holds a secret.
    --url URL          a platform over HTTP; its API key is read from ITELLICO_API_KEY
                       (or KEYHOLD_API_KEY)
    --db FILE          a platform database
    --to INVENTORY     the JSON inventory file to write (made on the first run)
    --policy FILE      the policy whose recent-use window the keys' use is counted in`;

export const AUDIT_USAGE = `keyhold audit [--db FILE | --url URL | --file INVENTORY] [--json] [--fail-on warning|critical] [--policy FILE]
    Audits an inventory against the policy (default: the desktop app's embedded platform):
    never-used, unused, expiring and expired keys, keys without an expiration, overdue rotation,
    vague and duplicate labels, stale revoked keys and crowded accounts.
    --db FILE          a platform database (the app's embedded one is platform.db in its data folder)
    --url URL          a platform over HTTP; its API key is read from ITELLICO_API_KEY
                       (or KEYHOLD_API_KEY)
    --file INVENTORY   a Keyhold export (JSON or CSV)
    --json             print the findings as JSON
    --fail-on LEVEL    exit 1 when a finding is at least this severe (warning or critical)
    --policy FILE      a JSON policy (as saved from Settings); numbers left out keep their defaults
    Exit codes: 0 nothing at the threshold, 1 a finding reached it (or the audit failed), 2 usage error.`;

export const KEYS_LIST_USAGE = `keyhold keys list [--db FILE | --url URL] [--account ID] [--json]
    Lists the keys of the platform's account and its subaccounts (default: the desktop app's
    embedded platform).
    --account ID       only this account's keys
    --json             print the keys as JSON`;

export const KEYS_CREATE_USAGE = `keyhold keys create --label LABEL [--expires-in 90d] [--account ID] [--db FILE | --url URL] [--json] [--print-secret]
    Creates a key and stores its secret in the OS keychain (service "keyhold"); keys made on the
    app's embedded platform show there as stored. The secret is not printed.
    --label LABEL      what the key is for, e.g. "Billing worker (production)"
    --expires-in SPAN  expires after this long: 12h, 90d, 2w (default: never)
    --account ID       the account it belongs to (default: the platform key's own account)
    --print-secret     print the secret once instead of storing it (when there is no keychain)
    --json             print the new key's metadata as JSON`;

export const KEYS_SCHEDULE_DELETE_USAGE = `keyhold keys schedule-delete KEY (--at WHEN | --cancel) [--db FILE | --url URL] [--json]
    Has the platform delete the key by itself at WHEN (a date, 2027-01-31, for its first instant
    in UTC, or an ISO time), or cancels a scheduled deletion. Until then the key works as before.
    KEY is a key id, a partial key (sk-1a2b3c4d) or an exact label.`;

export const KEYS_USAGE = `${KEYS_LIST_USAGE}\n${KEYS_CREATE_USAGE}\n${KEYS_SCHEDULE_DELETE_USAGE}`;

export const RUN_USAGE = `keyhold run --key KEY [--env NAME] [--db FILE | --url URL] -- COMMAND [ARGS...]
    Runs COMMAND with the key's secret, read from the OS keychain, in the environment variable
    NAME (default ${API_KEY_ENV}). KEY is a key id, a partial key (sk-1a2b3c4d) or an exact label.
    Standard input and output pass through, signals are forwarded, and keyhold exits with the
    command's code. The command never sees the credential keyhold used for --url: ${API_KEY_ENV} and
    KEYHOLD_API_KEY are taken out of its environment before NAME is set.
    Exit 1 when the key is not found or its secret is not in the keychain, 2 when the label is ambiguous.`;

export const SCAN_USAGE = `keyhold scan [PATH...] [--git-history | --staged] [--db FILE | --url URL | --file INVENTORY] [--json | --sarif [--sarif-lookalikes]] [--fail-on warning|critical] [--max-file-mb N] [--verbose]
    Finds the platform's keys in the files under PATH (default: this folder), tells real keys
    from lookalikes by their checksum, and says from the inventory (default: the app's embedded
    platform) which key each is and whether it is live: active -> critical; revoked, expired or
    not in the inventory -> warning; lookalike -> info. In a git repository, a tracked .env,
    .env.local or *.key file, or one .gitignore does not cover, is a warning too.
    --git-history      also every commit of every ref, files deleted since included
    --staged           only what is staged for the next commit (what the hook runs)
    --json | --sarif   print JSON, or SARIF 2.1.0 for code scanning (paths from the repository root,
                       at most 25,000 results; lookalikes only with --sarif-lookalikes)
    --fail-on LEVEL    exit 1 when a finding is at least this severe
    --max-file-mb N    skip files larger than this (default 50), counted as skipped
    --verbose          name every file not read and why (JSON and SARIF always name them)
    Keys are found in binary files too, after escapes, escaped or percent-encoded, and in base64.
keyhold scan --install-hook [PATH] [--append]
    Writes a pre-commit hook into PATH's repository that runs \`keyhold scan --staged --fail-on warning\`.
    An existing hook is never overwritten: --append adds the scan at its end.
    Exit codes: 0 nothing at the threshold, 1 a finding reached it (or the scan failed), 2 usage error.`;

const DATABASE_HELP = `--db FILE          the SQLite database (default: ./keyhold.db)
    --database-url URL a PostgreSQL database instead (postgres://user:password@host:5432/name, or set
                       DATABASE_URL): several servers on one database act as one platform`;

export const SERVE_USAGE = `keyhold serve [--db FILE | --database-url URL] [--host HOST] [--port PORT] [--trust-proxy ADDRESSES] [--policy FILE] [rate limits]
    Serves the key platform over HTTP. The first start on an empty database creates the root
    account and prints a bootstrap admin key once, on a line of its own (once in all, when
    several servers start on one empty PostgreSQL database). A server applies pending migrations
    at start and refuses a database whose schema is newer than it knows.
    ${DATABASE_HELP}
    --host HOST        address to listen on (default: 127.0.0.1)
    --port PORT        port (default: 8787; 0 picks a free one)
    --trust-proxy A,B  reverse proxies (IPs or CIDR ranges) whose X-Forwarded-For names the client:
                       the per-address limits and the access log use that address
    --usage-flush-ms N how often last-used times and daily counts go to disk (default 1000), and the
                       oldest a use may get before it is written, however busy the server: a crash
                       (kill -9) loses at most about this much of the latest usage; 0 writes only on
                       reads and at shutdown; the request log is written the same way
    --request-log-days N
                       days the request log keeps a request (default: ${DEFAULT_REQUEST_LOG_DAYS}); a key's
                       sources stay after their requests go
    --tombstone-days N days a deleted key is remembered for syncs (default: ${DEFAULT_TOMBSTONE_DAYS}); a client whose
                       last sync is older reads every key again
    --policy FILE      the JSON policy behind the \`flag\` filter (as \`keyhold audit --policy\` takes);
                       numbers left out keep their defaults
    --key-burst N      requests a key may make at once (default: ${DEFAULT_RATE_LIMITS.perKey.capacity})
    --key-rate N       requests per second a key regains (default: ${DEFAULT_RATE_LIMITS.perKey.refillPerSecond})
    --fail-burst N     failed authentications an address may make at once (default: ${DEFAULT_RATE_LIMITS.failedAuthPerAddress.capacity})
    --fail-rate N      failed authentications per second an address regains (default: ${DEFAULT_RATE_LIMITS.failedAuthPerAddress.refillPerSecond})`;

export const CREATE_ADMIN_KEY_USAGE = `keyhold create-admin-key [--db FILE | --database-url URL] [--label LABEL]
    Creates another key on the root account and prints it once.`;

export const MIGRATE_USAGE = `keyhold migrate [--db FILE | --database-url URL] [--check]
    Applies the database's pending schema migrations, one transaction for all of them (servers
    starting together never apply one twice). Run it before starting upgraded servers.
    ${DATABASE_HELP}
    --check            only list what is pending; change nothing`;
