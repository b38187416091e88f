/** The main landmark's id: the skip link leads to it, and menus open inside it (theme.ts). */
export const MAIN_ID = 'main-content';
