// The identity a platform database keeps (platform_state.platform_id): what the OS keychain files
// its keys' secrets under, read from the file as another process would.
import Database from 'better-sqlite3';

export function platformIdOf(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT platform_id FROM platform_state').pluck().get() as string;
  } finally {
    db.close();
  }
}
