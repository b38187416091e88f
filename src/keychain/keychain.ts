// The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux) behind a
// small interface, so services take it as an argument and tests can point it at a throwaway keyring.
import { AppError } from '../shared/errors';

export interface Keychain {
  set(account: string, secret: string): Promise<void>;
  get(account: string): Promise<string | null>;
  delete(account: string): Promise<boolean>;
  /** Accounts (not secrets) stored under this service. */
  list(): Promise<string[]>;
}

/** The subset of keytar this adapter uses; keytar itself satisfies it. */
export interface KeytarLike {
  setPassword(service: string, account: string, password: string): Promise<void>;
  getPassword(service: string, account: string): Promise<string | null>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export const KEYCHAIN_SERVICE = 'keyhold';

export class KeytarKeychain implements Keychain {
  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string = KEYCHAIN_SERVICE,
  ) {}

  set(account: string, secret: string): Promise<void> {
    return this.guard(() => this.keytar.setPassword(this.service, account, secret));
  }

  get(account: string): Promise<string | null> {
    return this.guard(() => this.keytar.getPassword(this.service, account));
  }

  delete(account: string): Promise<boolean> {
    return this.guard(() => this.keytar.deletePassword(this.service, account));
  }

  async list(): Promise<string[]> {
    const found = await this.guard(() => this.keytar.findCredentials(this.service));
    return found.map((credential) => credential.account);
  }

  // keytar's errors come from the OS ("Cannot autolaunch D-Bus without X11", "The name
  // org.freedesktop.secrets was not provided"); they never contain the secret, but say it plainly.
  private async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('keychain_unavailable', `The OS keychain is unavailable: ${reason}`);
    }
  }
}

/** Stands in when keytar cannot load at all: every call says why, nothing is stored anywhere else. */
export class UnavailableKeychain implements Keychain {
  constructor(private readonly reason: string) {}
  private fail(): never {
    throw new AppError('keychain_unavailable', `The OS keychain is unavailable: ${this.reason}`);
  }
  async set(): Promise<void> {
    this.fail();
  }
  async get(): Promise<string | null> {
    this.fail();
  }
  async delete(): Promise<boolean> {
    this.fail();
  }
  async list(): Promise<string[]> {
    this.fail();
  }
}

/**
 * Loads keytar lazily: a missing native build or keyring must not stop the app from starting.
 * `load` lets the Electron shell pass the copy built for Electron's ABI.
 */
export async function openKeychain(
  service: string = KEYCHAIN_SERVICE,
  load: () => Promise<unknown> = () => import('keytar'),
): Promise<Keychain> {
  try {
    const keytar = (await load()) as KeytarLike & { default?: KeytarLike };
    return new KeytarKeychain(keytar.default ?? keytar, service);
  } catch (error) {
    return new UnavailableKeychain(error instanceof Error ? error.message : String(error));
  }
}
