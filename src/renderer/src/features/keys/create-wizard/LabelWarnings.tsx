import { Alert } from '@mantine/core';

/** Why the label may be a poor one: vague, or already used in the account. */
export function LabelWarnings(props: { vague: string | null; duplicate: boolean; label: string; accountName: string }) {
  return (
    <>
      {props.vague && (
        <Alert color="yellow" data-testid="vague-label-warning">
          {props.vague}. A label such as “Production billing worker” says where the key lives when you review or rotate
          it.
        </Alert>
      )}
      {props.duplicate && (
        <Alert color="yellow" data-testid="duplicate-label-warning">
          {props.accountName} already has a key labelled “{props.label.trim()}”. Two keys with one name are hard to tell
          apart.
        </Alert>
      )}
    </>
  );
}
