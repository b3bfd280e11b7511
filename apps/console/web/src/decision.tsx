import type { FormEvent } from 'react';

/**
 * A checker's decision on someone else's proposal (maker-checker): nothing to a non-checker nor to the proposal's own
 * maker, else approve, or reject with a reason. `what` names the proposal for screen readers ("the proposal for …").
 */
export function CheckerDecision(props: {
  id: string;
  what: string;
  checker: boolean;
  own: boolean;
  busy: boolean;
  rejecting: boolean;
  onApprove(): void;
  onStartRejecting(): void;
  onReject(reason: string): void;
}) {
  const { id, what, busy } = props;
  if (!props.checker) return <span className="muted small">waiting for a checker</span>;
  if (props.own) return <span className="muted small">your proposal: another checker decides</span>;
  if (props.rejecting) {
    const submit = (event: FormEvent<HTMLFormElement>) => {
      event.preventDefault();
      props.onReject(String(new FormData(event.currentTarget).get('decisionReason') ?? '').trim());
    };
    return (
      <form onSubmit={submit} aria-label={`Reject ${what}`}>
        <label htmlFor={`reject-${id}`}>Why reject it</label>
        <input id={`reject-${id}`} name="decisionReason" required minLength={3} maxLength={1024} />
        <button type="submit" disabled={busy}>
          Confirm rejection
        </button>
      </form>
    );
  }
  return (
    <>
      <button type="button" disabled={busy} onClick={props.onApprove}>
        Approve<span className="visually-hidden"> {what}</span>
      </button>{' '}
      <button type="button" className="button-secondary" onClick={props.onStartRejecting}>
        Reject<span className="visually-hidden"> {what}</span>
      </button>
    </>
  );
}
