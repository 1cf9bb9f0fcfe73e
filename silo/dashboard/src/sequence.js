// An agency's events carry sequence {agencyId, epoch, number}: numbers follow one another within an epoch, and a new epoch
// means the sequencer restarted (its silo died). A skipped number, a new epoch, or a heartbeat (sequencePosition) ahead of
// what arrived means this page missed something: it must read its state again.

/** Tracks one agency's sequence for one page; observe() answers true when the page must resync. */
export function sequenceTracker() {
  let epoch = null;
  let last = 0;
  return {
    /** After a (re)subscription: the next event sets the baseline (the subscription's answer covers what came before). */
    reset() { epoch = null; },
    observe(sequence, isHeartbeat) {
      if (!sequence) return false;
      if (epoch === null || sequence.epoch !== epoch) {
        const changed = epoch !== null;
        epoch = sequence.epoch;
        last = sequence.number;
        return changed;
      }
      const gap = isHeartbeat ? sequence.number > last : sequence.number > last + 1;
      last = Math.max(last, sequence.number);
      return gap;
    },
  };
}
