// The theme's text tones (theme.ts), which read at 4.5:1 in both themes, for a menu item that warns:
// Menu.Item's `color` would take Mantine's shade 6 (orange 2.6:1, red 3.3:1 on white).
export const TEXT_TONE = { orange: 'var(--mantine-color-orange-text)', red: 'var(--mantine-color-red-text)' };
