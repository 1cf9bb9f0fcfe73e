// A list the page reads again while events keep changing what it lists (after a gap, at a resubscription, after a burst
// of grants). A read may have been answered before changes that arrive while it is on its way, and an older read may
// land after a newer one: each list's reads go through one of these, so that neither takes back what the page shows.

/** One list's reads, and the changes events make to it meanwhile. */
export function listReads() {
  const onTheirWay = new Set(); // per read still on its way: the changes that arrived meanwhile
  let started = 0;
  let newestShown = 0;
  return {
    /** Applies an event's change now, and keeps it to apply again on top of every read still on its way. */
    change(apply) {
      for (const meanwhile of onTheirWay) meanwhile.push(apply);
      apply();
    },
    /**
     * Awaits a read's answer: the list, and the changes to apply on top of it once shown, in the order they came; null
     * when a read started later was already shown, since this answer is older than what the page shows.
     */
    async read(answer) {
      const asked = ++started;
      const meanwhile = [];
      onTheirWay.add(meanwhile);
      try {
        const list = await answer;
        if (asked < newestShown) return null;
        newestShown = asked;
        return { list, meanwhile };
      } finally {
        onTheirWay.delete(meanwhile);
      }
    },
  };
}
