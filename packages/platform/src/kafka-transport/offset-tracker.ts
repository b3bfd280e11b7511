/**
 * Offsets of one fetched batch, in order. The committable offset is the one after the longest finished prefix:
 * everything below it is stored, so a crash redelivers only unfinished (or later) messages.
 */
export class OffsetTracker {
  private readonly done = new Set<string>();
  private next = 0;

  constructor(private readonly offsets: readonly string[]) {}

  finish(offset: string): void {
    this.done.add(offset);
    while (this.next < this.offsets.length && this.done.has(this.offsets[this.next]!)) this.next++;
  }

  /** The last offset of the finished prefix, or undefined when the first message is still open. */
  get lastFinished(): string | undefined {
    return this.next === 0 ? undefined : this.offsets[this.next - 1];
  }

  get complete(): boolean {
    return this.next === this.offsets.length;
  }
}
