// The first Tab stop of the window: past the header and the navigation, straight to the key
// table (on the Keys page) or to the page's content. Out of sight until it has the focus.
import { KEYS_GRID_ID } from '../features/keys/grid-navigation';
import { MAIN_ID } from '../lib/landmarks';
import { useAppStore } from '../stores/app-store';
import classes from './SkipLink.module.css';

export function SkipLink() {
  const onKeys = useAppStore((state) => state.page === 'keys');
  const go = (event: React.MouseEvent) => {
    event.preventDefault();
    // The grid's one Tab stop (its active cell), else the page's first heading.
    const target =
      (onKeys ? document.querySelector<HTMLElement>(`#${KEYS_GRID_ID} [tabindex="0"]`) : null) ??
      document.querySelector<HTMLElement>(`#${MAIN_ID} h1`);
    if (target?.tagName === 'H1') target.tabIndex = -1; // a heading takes the focus only with a tabindex
    target?.focus();
  };
  return (
    <a href={`#${MAIN_ID}`} className={classes.skip} onClick={go} data-testid="skip-link">
      {onKeys ? 'Skip to the key table' : 'Skip to the page'}
    </a>
  );
}
