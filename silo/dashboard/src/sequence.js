// Every event carries sequence {stream, epoch, number}: the stream is its audience ("agency:ID", "district:CODE",
// "flags:CODE"), numbers follow one another within an epoch, and a new epoch means the stream's sequencer restarted (its
// silo died). A skipped number, a new epoch, or a heartbeat (sequencePosition) ahead of what arrived means this page missed
// something of that stream: it must read that stream's state again.

/** Tracks the streams one page receives; observe() answers the stream the page must resync, or null. */
export function sequenceTracker() {
  const streams = new Map(); // stream -> { epoch, last }
  return {
    /** After a (re)subscription: each stream's next event sets its baseline (the subscription's answer covers what came before). */
    reset() { streams.clear(); },
    observe(sequence, isHeartbeat) {
      if (!sequence) return null;
      const known = streams.get(sequence.stream);
      if (!known || known.epoch !== sequence.epoch) {
        streams.set(sequence.stream, { epoch: sequence.epoch, last: sequence.number });
        return known ? sequence.stream : null;
      }
      const gap = isHeartbeat ? sequence.number > known.last : sequence.number > known.last + 1;
      known.last = Math.max(known.last, sequence.number);
      return gap ? sequence.stream : null;
    },
  };
}
