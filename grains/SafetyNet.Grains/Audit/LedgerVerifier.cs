using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// The verification itself, free of I/O so that every tampering case can be unit-tested: first the checkpoints are
/// authenticated (the witness is believed over the database copy; a chain is authentic when its links hold and its last
/// checkpoint's signature verifies, since each signature covers the hash of the checkpoint before), then the rows are fed
/// (<see cref="Observe"/>) in row-id order, which within each shard is chain order, and each is checked against its
/// shard's chain and against every checkpoint that vouches for that shard's head there (its own node's, or another
/// node's that linked it), then <see cref="Finish"/> compares the end of each shard with the checkpoints and its head row.
/// </summary>
public sealed class LedgerVerifier
{
    public const string FromWitness = "witness";
    public const string FromDatabase = "database";

    private readonly Dictionary<(string Shard, long Seq), List<Vouch>> _expected = [];
    private readonly Dictionary<string, Vouch> _furthest = [];
    private readonly Dictionary<string, ShardState> _shards = [];
    private readonly long _checkpointsChecked;
    private readonly long _untrusted;
    private long _checked;
    private Vouch? _lastConfirmed;
    private ChainVerification? _failure;

    public LedgerVerifier(CheckpointKeyRing ring, WitnessContent witness, IReadOnlyList<AuditCheckpoint> stored)
    {
        if (witness.Problems.Count > 0)
        {
            _failure = Broken(null, null, witness.Problems[0], null);
            return;
        }
        var accepted = new Dictionary<(string Chain, long Number), Source>();
        foreach (var checkpoint in witness.Checkpoints)
        {
            if (!ring.Trusts(checkpoint.KeyId)) { _untrusted++; continue; }
            if (accepted.TryGetValue((checkpoint.Chain, checkpoint.Number), out var copy))
            {
                if (!copy.Checkpoint.SameAs(checkpoint))
                {
                    _failure = Broken(null, null, $"The two witness copies of {checkpoint.Name} differ: one of them was altered.", Reference(copy.Own));
                    return;
                }
                continue;
            }
            accepted[(checkpoint.Chain, checkpoint.Number)] = new Source(checkpoint, FromWitness);
        }
        foreach (var checkpoint in stored)
        {
            if (!ring.Trusts(checkpoint.KeyId)) { _untrusted++; continue; }
            if (accepted.TryGetValue((checkpoint.Chain, checkpoint.Number), out var witnessed))
            {
                if (witnessed.Origin == FromWitness && !witnessed.Checkpoint.SameAs(checkpoint))
                {
                    _failure = Broken(null, null, $"The database copy of {checkpoint.Name} differs from the witness: it was altered or forged in the database (the witness copy vouches for row {witnessed.Checkpoint.Seq} of shard {witnessed.Own.Head.Shard}).", Reference(witnessed.Own));
                    return;
                }
                continue;
            }
            accepted[(checkpoint.Chain, checkpoint.Number)] = new Source(checkpoint, FromDatabase);
        }

        foreach (var chain in accepted.Values.GroupBy(v => v.Checkpoint.Chain))
        {
            var ordered = chain.OrderBy(v => v.Checkpoint.Number).ToList();
            if (AuthenticateChain(ring, ordered) is { } failure)
            {
                _failure = failure;
                return;
            }
            foreach (var source in ordered)
            foreach (var head in source.Checkpoint.Heads())
            {
                var vouch = new Vouch(source, head);
                if (!_expected.TryGetValue((head.Shard, head.Seq), out var list)) _expected[(head.Shard, head.Seq)] = list = [];
                list.Add(vouch);
                if (!_furthest.TryGetValue(head.Shard, out var furthest) || head.Seq > furthest.Head.Seq
                    || (head.Seq == furthest.Head.Seq && source.Origin == FromWitness))
                    _furthest[head.Shard] = vouch;
            }
        }
        _checkpointsChecked = accepted.Count;
    }

    /// <summary>The row id after the last row observed: where the next archive file or live row must not start before.</summary>
    public long NextSeq { get; private set; } = 1;

    /// <summary>The archive file the rows now observed come from (named in any problem found), or null for the live table.</summary>
    public string? Reading { get; set; }

    /// <summary>False once a problem is found; the caller stops reading rows then.</summary>
    public bool Observe(AuditRecord record)
    {
        if (_failure is not null) return false;
        var shard = record.ShardId;
        if (!_shards.TryGetValue(shard, out var state)) _shards[shard] = state = new ShardState(AuditChain.Genesis(shard));
        var position = record.Position;
        if (position != state.Next)
            return position > state.Next
                ? Fail(shard, state.Next, $"{(position - state.Next > 1 ? "Rows" : "Row")} {Rows(state.Next, position - 1)} of shard {shard} {(position - state.Next > 1 ? "are" : "is")} missing (the shard's next row is {position}, row id {record.Seq}).")
                : Fail(shard, position, $"Row {position} of shard {shard} is out of order: it comes after row {state.Next - 1} (row id {record.Seq}).");
        if (record.PrevHash != state.Previous)
            return Fail(shard, position, $"Row {position} of shard {shard} does not link to the row before it (row id {record.Seq}).");
        if (!AuditChain.Matches(record.PrevHash, position, record.Entry, record.Hash))
            return Fail(shard, position, $"Row {position} of shard {shard} was altered: its content does not match its hash (row id {record.Seq}).");
        if (_expected.TryGetValue((shard, position), out var vouches))
        {
            foreach (var vouch in vouches)
            {
                if (vouch.Head.Hash == record.Hash) continue;
                var from = state.Confirmed + 1;
                _failure = Broken(shard, from,
                    $"Rows {from}–{position} of shard {shard} were rewritten (hashes recomputed) after {vouch.Name} was signed at " +
                    $"{AuditChain.Timestamp(vouch.Source.Checkpoint.SignedAt)}: it vouches for hash {Short(vouch.Head.Hash)} at row {position}, " +
                    $"the ledger now has {Short(record.Hash)}. The change is at or after row {from}.", Reference(vouch));
                return false;
            }
            _lastConfirmed = vouches.FirstOrDefault(v => v.Source.Origin == FromWitness) ?? vouches[0];
            state.Confirmed = position;
        }
        state.Previous = record.Hash;
        state.Next++;
        NextSeq = Math.Max(NextSeq, record.Seq + 1);
        _checked++;
        return true;
    }

    /// <summary>
    /// After the last row, per shard: checkpoints beyond its end mean rows were cut (or the whole shard deleted); then its
    /// head row must name its last row.
    /// </summary>
    public ChainVerification Finish(IReadOnlyCollection<ShardHead> heads)
    {
        if (_failure is not null) return _failure;
        foreach (var (shard, furthest) in _furthest.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var lastRow = _shards.TryGetValue(shard, out var state) ? state.Next - 1 : 0;
            if (furthest.Head.Seq <= lastRow) continue;
            var signed = $"{furthest.Name} (signed at {AuditChain.Timestamp(furthest.Source.Checkpoint.SignedAt)}, in the {furthest.Source.Origin})";
            return Broken(shard, lastRow + 1, lastRow == 0 && state is null
                ? $"Shard {shard} was deleted: {signed} vouches for its rows 1–{furthest.Head.Seq} and none is left."
                : $"Shard {shard} ends at row {lastRow}, but {signed} vouches for row {furthest.Head.Seq}: rows {lastRow + 1}–{furthest.Head.Seq} were removed.", Reference(furthest));
        }
        var headed = heads.ToDictionary(h => h.Shard);
        foreach (var (shard, state) in _shards.OrderBy(s => s.Key, StringComparer.Ordinal))
            if (!headed.ContainsKey(shard))
                return Broken(shard, 1, $"Shard {shard} has rows but no head row: they were added outside the ledger's writer, or its head was deleted.", null);
        foreach (var head in heads.OrderBy(h => h.Shard, StringComparer.Ordinal))
        {
            var state = _shards.GetValueOrDefault(head.Shard) ?? new ShardState(AuditChain.Genesis(head.Shard));
            var lastRow = state.Next - 1;
            if (head.Seq > lastRow)
                return Broken(head.Shard, lastRow + 1, $"Shard {head.Shard} ends at row {lastRow} but its head records row {head.Seq}: rows were removed from the end of the shard.", null);
            if (head.Seq < lastRow)
                return Broken(head.Shard, head.Seq + 1, $"Rows {head.Seq + 1}–{lastRow} of shard {head.Shard} follow its head (row {head.Seq}): they were added outside the ledger's writer, or the head was moved back.", null);
            if (head.Hash != state.Previous)
                return Broken(head.Shard, lastRow, $"The head of shard {head.Shard} does not match its row {lastRow}: the head was rewritten.", null);
        }
        return new ChainVerification(true, _checked, null, null, _checkpointsChecked, _lastConfirmed is { } last ? Reference(last) : null,
            _shards.Values.Sum(s => s.Next - 1 - s.Confirmed), null, _untrusted);
    }

    /// <summary>Records a problem found outside the rows (an archive file); returns false like <see cref="Observe"/>. The first problem stands.</summary>
    public bool Fail(long seq, string problem) => Fail(null, seq, problem);

    private bool Fail(string? shard, long seq, string problem)
    {
        _failure ??= Broken(shard, seq, problem, null);
        return false;
    }

    private ChainVerification Broken(string? shard, long? seq, string problem, CheckpointReference? checkpoint) =>
        new(false, _checked, seq, Reading is null ? problem : $"In archive file {Reading}: {problem}", _checkpointsChecked,
            _lastConfirmed is { } last ? Reference(last) : null, 0, checkpoint, _untrusted, shard);

    /// <summary>Numbers run from 1 without gaps, each names the hash of the one before, and the last one's signature verifies.</summary>
    private ChainVerification? AuthenticateChain(CheckpointKeyRing ring, List<Source> chain)
    {
        Source? previous = null;
        foreach (var source in chain)
        {
            var checkpoint = source.Checkpoint;
            var expectedNumber = (previous?.Checkpoint.Number ?? 0) + 1;
            if (checkpoint.Number != expectedNumber)
                return Broken(null, null, $"{Capitalise(checkpoint.Name)} follows #{expectedNumber - 1}: checkpoint #{expectedNumber}" +
                    (checkpoint.Number - expectedNumber > 1 ? $"–#{checkpoint.Number - 1}" : "") + " of that chain was deleted.", Reference(source.Own));
            var expectedPrevious = previous?.Checkpoint.Hash() ?? AuditChain.GenesisHash;
            if (checkpoint.PreviousHash != expectedPrevious)
            {
                // The later checkpoint's signature covers the earlier one's hash: whichever does not verify is the forgery.
                var culprit = previous is not null && ring.IsAuthentic(checkpoint) ? previous : source;
                return Broken(null, null, ring.IsAuthentic(culprit.Checkpoint)
                    ? $"{Capitalise(checkpoint.Name)} does not link to the checkpoint before it."
                    : $"{Capitalise(culprit.Checkpoint.Name)} (in the {culprit.Origin}) has a bad signature: it was forged or altered.", Reference(culprit.Own));
            }
            previous = source;
        }
        if (previous is not null && !ring.IsAuthentic(previous.Checkpoint))
            return Broken(null, null, $"{Capitalise(previous.Checkpoint.Name)} (in the {previous.Origin}) has a bad signature: it was forged or altered.", Reference(previous.Own));
        return null;
    }

    private static CheckpointReference Reference(Vouch v) =>
        new(v.Source.Checkpoint.Chain, v.Source.Checkpoint.Number, v.Source.Checkpoint.KeyId, v.Head.Seq, v.Source.Checkpoint.SignedAt, v.Source.Origin, v.Head.Shard);

    private static string Rows(long from, long to) => from == to ? $"{from}" : $"{from}–{to}";

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>One copy of a checkpoint and where it was found.</summary>
    private sealed record Source(AuditCheckpoint Checkpoint, string Origin)
    {
        public Vouch Own => new(this, Checkpoint.Heads().First());
    }

    /// <summary>One shard head a checkpoint vouches for: its own shard's, or one it links.</summary>
    private sealed record Vouch(Source Source, ShardHead Head)
    {
        public string Name => Head.Shard == (Source.Checkpoint.Shard ?? AuditRecord.LegacyShard)
            ? Source.Checkpoint.Name
            : $"{Source.Checkpoint.Name} (linking shard {Head.Shard})";
    }

    private sealed class ShardState(string genesis)
    {
        public long Next { get; set; } = 1;
        public string Previous { get; set; } = genesis;
        public long Confirmed { get; set; }
    }
}
