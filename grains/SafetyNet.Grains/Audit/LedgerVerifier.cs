using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// The verification itself, free of I/O so that every tampering case can be unit-tested: first the checkpoints are
/// authenticated (the witness is believed over the database copy; a chain is authentic when its links hold and its last
/// checkpoint's signature verifies, since each signature covers the hash of the checkpoint before), then the rows are fed
/// in sequence order (<see cref="Observe"/>) and checked for their own links and against every checkpoint that vouches
/// for them, then <see cref="Finish"/> compares the end of the ledger with the checkpoints and the head.
/// </summary>
public sealed class LedgerVerifier
{
    public const string FromWitness = "witness";
    public const string FromDatabase = "database";

    private readonly Dictionary<long, List<Vouch>> _expected = [];
    private readonly long _checkpointsChecked;
    private readonly long _untrusted;
    private readonly Vouch? _furthest;
    private string _expectedPrevious = AuditChain.GenesisHash;
    private long _expectedSeq = 1;
    private long _checked;
    private Vouch? _lastConfirmed;
    private ChainVerification? _failure;

    public LedgerVerifier(CheckpointKeyRing ring, WitnessContent witness, IReadOnlyList<AuditCheckpoint> stored)
    {
        if (witness.Problems.Count > 0)
        {
            _failure = Broken(null, witness.Problems[0], null);
            return;
        }
        var accepted = new Dictionary<(string Chain, long Number), Vouch>();
        foreach (var checkpoint in witness.Checkpoints)
        {
            if (!ring.Trusts(checkpoint.KeyId)) { _untrusted++; continue; }
            if (accepted.TryGetValue((checkpoint.Chain, checkpoint.Number), out var copy))
            {
                if (!copy.Checkpoint.SameAs(checkpoint))
                {
                    _failure = Broken(null, $"The two witness copies of {checkpoint.Name} differ: one of them was altered.", Reference(copy));
                    return;
                }
                continue;
            }
            accepted[(checkpoint.Chain, checkpoint.Number)] = new Vouch(checkpoint, FromWitness);
        }
        foreach (var checkpoint in stored)
        {
            if (!ring.Trusts(checkpoint.KeyId)) { _untrusted++; continue; }
            if (accepted.TryGetValue((checkpoint.Chain, checkpoint.Number), out var witnessed))
            {
                if (witnessed.Source == FromWitness && !witnessed.Checkpoint.SameAs(checkpoint))
                {
                    _failure = Broken(null, $"The database copy of {checkpoint.Name} differs from the witness: it was altered or forged in the database (the witness copy vouches for row {witnessed.Checkpoint.Seq}).", Reference(witnessed));
                    return;
                }
                continue;
            }
            accepted[(checkpoint.Chain, checkpoint.Number)] = new Vouch(checkpoint, FromDatabase);
        }

        foreach (var chain in accepted.Values.GroupBy(v => v.Checkpoint.Chain))
        {
            var ordered = chain.OrderBy(v => v.Checkpoint.Number).ToList();
            if (AuthenticateChain(ring, ordered) is { } failure)
            {
                _failure = failure;
                return;
            }
            foreach (var vouch in ordered)
            {
                if (!_expected.TryGetValue(vouch.Checkpoint.Seq, out var list)) _expected[vouch.Checkpoint.Seq] = list = [];
                list.Add(vouch);
                if (_furthest is null || vouch.Checkpoint.Seq > _furthest.Checkpoint.Seq
                    || (vouch.Checkpoint.Seq == _furthest.Checkpoint.Seq && vouch.Source == FromWitness))
                    _furthest = vouch;
            }
        }
        _checkpointsChecked = accepted.Count;
    }

    /// <summary>The seq the next observed row must have.</summary>
    public long NextSeq => _expectedSeq;

    /// <summary>The archive file the rows now observed come from (named in any problem found), or null for the live table.</summary>
    public string? Reading { get; set; }

    /// <summary>False once a problem is found; the caller stops reading rows then.</summary>
    public bool Observe(AuditRecord record)
    {
        if (_failure is not null) return false;
        if (record.Seq != _expectedSeq)
            return Fail(_expectedSeq, $"Row {_expectedSeq} is missing (next row is {record.Seq}).");
        if (record.PrevHash != _expectedPrevious)
            return Fail(record.Seq, $"Row {record.Seq} does not link to the row before it.");
        if (AuditChain.Hash(record.PrevHash, record.Seq, record.Entry) != record.Hash)
            return Fail(record.Seq, $"Row {record.Seq} was altered: its content does not match its hash.");
        if (_expected.TryGetValue(record.Seq, out var vouches))
        {
            foreach (var vouch in vouches)
            {
                if (vouch.Checkpoint.EntryHash == record.Hash) continue;
                var from = (_lastConfirmed?.Checkpoint.Seq ?? 0) + 1;
                _failure = Broken(from,
                    $"Rows {from}–{record.Seq} were rewritten (hashes recomputed) after {vouch.Checkpoint.Name} was signed at " +
                    $"{AuditChain.Timestamp(vouch.Checkpoint.SignedAt)}: it vouches for hash {Short(vouch.Checkpoint.EntryHash)} at row {record.Seq}, " +
                    $"the ledger now has {Short(record.Hash)}. The change is at or after row {from}.", Reference(vouch));
                return false;
            }
            _lastConfirmed = vouches.FirstOrDefault(v => v.Source == FromWitness) ?? vouches[0];
        }
        _expectedPrevious = record.Hash;
        _expectedSeq++;
        _checked++;
        return true;
    }

    /// <summary>After the last row: checkpoints beyond the end mean rows were cut; then the head must name the last row.</summary>
    public ChainVerification Finish(long? headSeq, string? headHash)
    {
        if (_failure is not null) return _failure;
        var lastRow = _expectedSeq - 1;
        if (_furthest is { } furthest && furthest.Checkpoint.Seq > lastRow)
            return Broken(lastRow + 1,
                $"The ledger ends at row {lastRow}, but {furthest.Checkpoint.Name} (signed at {AuditChain.Timestamp(furthest.Checkpoint.SignedAt)}, " +
                $"in the {furthest.Source}) vouches for row {furthest.Checkpoint.Seq}: rows {lastRow + 1}–{furthest.Checkpoint.Seq} were removed.", Reference(furthest));
        if (headSeq is { } seq && seq > lastRow)
            return Broken(lastRow + 1, $"The chain ends at row {lastRow} but the head records row {seq}: rows were removed from the end.", null);
        if (headSeq is { } before && before < lastRow)
            return Broken(before + 1, $"Rows {before + 1}–{lastRow} follow the head (row {before}): they were added outside the ledger's writer, or the head was moved back.", null);
        if (headSeq is not null && headHash != _expectedPrevious)
            return Broken(lastRow, $"The head's hash does not match row {lastRow}: the head was rewritten.", null);
        return new ChainVerification(true, _checked, null, null, _checkpointsChecked, _lastConfirmed is { } last ? Reference(last) : null,
            lastRow - (_lastConfirmed?.Checkpoint.Seq ?? 0), null, _untrusted);
    }

    /// <summary>Records a problem found outside the rows (an archive file); returns false like <see cref="Observe"/>. The first problem stands.</summary>
    public bool Fail(long seq, string problem)
    {
        _failure ??= Broken(seq, problem, null);
        return false;
    }

    private ChainVerification Broken(long? seq, string problem, CheckpointReference? checkpoint) =>
        new(false, _checked, seq, Reading is null ? problem : $"In archive file {Reading}: {problem}", _checkpointsChecked, _lastConfirmed is { } last ? Reference(last) : null, 0, checkpoint, _untrusted);

    /// <summary>Numbers run from 1 without gaps, each names the hash of the one before, and the last one's signature verifies.</summary>
    private ChainVerification? AuthenticateChain(CheckpointKeyRing ring, List<Vouch> chain)
    {
        Vouch? previous = null;
        foreach (var vouch in chain)
        {
            var checkpoint = vouch.Checkpoint;
            var expectedNumber = (previous?.Checkpoint.Number ?? 0) + 1;
            if (checkpoint.Number != expectedNumber)
                return Broken(null, $"{Capitalise(checkpoint.Name)} follows #{expectedNumber - 1}: checkpoint #{expectedNumber}" +
                    (checkpoint.Number - expectedNumber > 1 ? $"–#{checkpoint.Number - 1}" : "") + " of that chain was deleted.", Reference(vouch));
            var expectedPrevious = previous?.Checkpoint.Hash() ?? AuditChain.GenesisHash;
            if (checkpoint.PreviousHash != expectedPrevious)
            {
                // The later checkpoint's signature covers the earlier one's hash: whichever does not verify is the forgery.
                var culprit = previous is not null && ring.IsAuthentic(checkpoint) ? previous : vouch;
                return Broken(null, ring.IsAuthentic(culprit.Checkpoint)
                    ? $"{Capitalise(checkpoint.Name)} does not link to the checkpoint before it."
                    : $"{Capitalise(culprit.Checkpoint.Name)} (in the {culprit.Source}) has a bad signature: it was forged or altered.", Reference(culprit));
            }
            previous = vouch;
        }
        if (previous is not null && !ring.IsAuthentic(previous.Checkpoint))
            return Broken(null, $"{Capitalise(previous.Checkpoint.Name)} (in the {previous.Source}) has a bad signature: it was forged or altered.", Reference(previous));
        return null;
    }

    private static CheckpointReference Reference(Vouch v) =>
        new(v.Checkpoint.Chain, v.Checkpoint.Number, v.Checkpoint.KeyId, v.Checkpoint.Seq, v.Checkpoint.SignedAt, v.Source);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;

    private static string Capitalise(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record Vouch(AuditCheckpoint Checkpoint, string Source);
}
