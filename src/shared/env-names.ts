/** The environment variable a program reads its API key from: the platform's own name for it. */
export const API_KEY_ENV = 'ITELLICO_API_KEY';

/** Also read by `keyhold --url`, after API_KEY_ENV: the name the command used before. */
export const LEGACY_API_KEY_ENV = 'KEYHOLD_API_KEY';

/** Every variable keyhold reads a platform credential from: never passed on to a program it runs. */
export const PLATFORM_CREDENTIAL_ENV = [API_KEY_ENV, LEGACY_API_KEY_ENV] as const;
