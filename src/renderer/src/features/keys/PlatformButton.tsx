// A button whose action needs the platform (or a writable inventory). While keys cannot change it
// stays focusable but inert, with the reason as its tooltip, so neither the mouse nor the keyboard
// finds out only after the click.
import { Button, type ButtonProps, Tooltip } from '@mantine/core';
import { selectWhyReadOnly, useInventoryStore } from '../../stores/inventory-store';

export function PlatformButton({ onClick, ...props }: ButtonProps & { onClick(): void; 'data-testid'?: string }) {
  const why = useInventoryStore(selectWhyReadOnly);
  return (
    <Tooltip
      label={why}
      disabled={why === null}
      multiline
      w={280}
      withArrow
      events={{ hover: true, focus: true, touch: true }}
    >
      <Button
        {...props}
        data-disabled={why !== null || undefined}
        aria-disabled={why !== null || undefined}
        aria-description={why ?? undefined}
        onClick={(event) => {
          if (why === null) onClick();
          else event.preventDefault();
        }}
      />
    </Tooltip>
  );
}
