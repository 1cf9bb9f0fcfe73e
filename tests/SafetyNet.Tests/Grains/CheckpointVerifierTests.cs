using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Tests.Grains;

/// <summary>The pure rules of signed checkpoints: what a signature covers, and what verify names for each kind of tampering.</summary>
public sealed class CheckpointVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly CheckpointSigner _signer = new(ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private readonly CheckpointKeyRing _ring;

    public CheckpointVerifierTests() => _ring = new CheckpointKeyRing([_signer.PublicKey]);

    [Fact]
    public void A_signature_covers_every_field_of_the_checkpoint()
    {
        var checkpoint = _signer.Next("chain-a", null, Legacy(10, new string('a', 64)), [], Start);
        Assert.True(_ring.IsAuthentic(checkpoint));
        Assert.Equal(AuditChain.GenesisHash, checkpoint.PreviousHash);
        Assert.False(_ring.IsAuthentic(checkpoint with { Seq = 11 }));
        Assert.False(_ring.IsAuthentic(checkpoint with { EntryHash = new string('b', 64) }));
        Assert.False(_ring.IsAuthentic(checkpoint with { SignedAt = Start.AddSeconds(1) }));
        Assert.False(_ring.IsAuthentic(checkpoint with { Number = 2 }));
        Assert.False(_ring.IsAuthentic(checkpoint with { Chain = "chain-b" }));
        Assert.False(_ring.IsAuthentic(checkpoint with { Signature = "not base64!" }));

        var next = _signer.Next("chain-a", checkpoint, Legacy(20, new string('c', 64)), [], Start.AddSeconds(1));
        Assert.Equal(2, next.Number);
        Assert.Equal(checkpoint.Hash(), next.PreviousHash);
        Assert.True(_ring.IsAuthentic(next));
    }

    [Fact]
    public void A_key_that_is_not_in_the_ring_is_not_believed()
    {
        var stranger = new CheckpointSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var forged = stranger.Next("chain-x", null, Legacy(5, new string('a', 64)), [], Start);
        Assert.False(_ring.IsAuthentic(forged));
        Assert.False(_ring.IsAuthentic(forged with { KeyId = _signer.PublicKey.KeyId }));

        var rows = Rows(10);
        var result = Verify(rows, [], [forged]);
        Assert.True(result.Intact);
        Assert.Equal(1, result.UntrustedCheckpoints);
        Assert.Null(result.LastCheckpoint);
        Assert.Equal(10, result.UncheckpointedRecords);
    }

    [Fact]
    public void An_intact_ledger_reports_its_last_checkpoint_and_the_rows_after_it()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20);
        var result = Verify(rows, checkpoints, checkpoints);
        Assert.True(result.Intact, result.Problem);
        Assert.Equal(30, result.RecordsChecked);
        Assert.Equal(2, result.CheckpointsChecked);
        Assert.Equal(20, result.LastCheckpoint!.Seq);
        Assert.Equal(LedgerVerifier.FromWitness, result.LastCheckpoint.Source);
        Assert.Equal(10, result.UncheckpointedRecords);
    }

    [Fact]
    public void A_single_row_edit_is_named_at_that_row()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20);
        rows[14] = rows[14] with { Entry = rows[14].Entry with { Outcome = "allow" } };
        var result = Verify(rows, checkpoints, checkpoints);
        Assert.False(result.Intact);
        Assert.Equal(15, result.FirstBrokenSeq);
        Assert.Contains("Row 15 of shard legacy was altered", result.Problem);
    }

    [Fact]
    public void An_edit_with_every_later_hash_and_the_head_recomputed_is_named_by_the_checkpoint_after_it()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20);
        rows[14] = rows[14] with { Entry = rows[14].Entry with { Outcome = "allow" } };
        Rechain(rows, from: 14);
        var result = Verify(rows, checkpoints, checkpoints);
        Assert.False(result.Intact);
        Assert.Equal(11, result.FirstBrokenSeq);
        Assert.Equal(2, result.BrokenCheckpoint!.Number);
        Assert.Equal(20, result.BrokenCheckpoint.Seq);
        Assert.Contains("Rows 11–20 of shard legacy were rewritten", result.Problem);
        Assert.Contains("checkpoint #2", result.Problem);
    }

    [Fact]
    public void A_rewritten_checkpoint_in_the_database_loses_to_the_witness()
    {
        var rows = Rows(30);
        var witnessed = Checkpoints(rows, 10, 20);
        rows[14] = rows[14] with { Entry = rows[14].Entry with { Outcome = "allow" } };
        Rechain(rows, from: 14);
        // The insider also makes the database's checkpoint agree with the rewritten rows; it cannot re-sign it.
        var stored = new[] { witnessed[0], witnessed[1] with { EntryHash = rows[19].Hash } };
        var result = Verify(rows, witnessed, stored);
        Assert.False(result.Intact);
        Assert.Equal(2, result.BrokenCheckpoint!.Number);
        Assert.Contains("differs from the witness", result.Problem);
    }

    [Fact]
    public void A_forged_checkpoint_is_named_by_its_bad_signature()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20);
        var forgedLast = checkpoints[1] with { Seq = 25, EntryHash = rows[24].Hash };
        var result = Verify(rows, [], [checkpoints[0], forgedLast]);
        Assert.False(result.Intact);
        Assert.Equal(2, result.BrokenCheckpoint!.Number);
        Assert.Equal(LedgerVerifier.FromDatabase, result.BrokenCheckpoint.Source);
        Assert.Contains("bad signature", result.Problem);

        var forgedMiddle = checkpoints[0] with { EntryHash = new string('f', 64) };
        result = Verify(rows, [], [forgedMiddle, checkpoints[1]]);
        Assert.False(result.Intact);
        Assert.Equal(1, result.BrokenCheckpoint!.Number);
        Assert.Contains("bad signature", result.Problem);
    }

    [Fact]
    public void A_checkpoint_deleted_from_the_middle_of_a_chain_is_named()
    {
        var rows = Rows(40);
        var checkpoints = Checkpoints(rows, 10, 20, 30);
        var result = Verify(rows, [], [checkpoints[0], checkpoints[2]]);
        Assert.False(result.Intact);
        Assert.Equal(3, result.BrokenCheckpoint!.Number);
        Assert.Contains("checkpoint #2 of that chain was deleted", result.Problem);
    }

    [Fact]
    public void A_row_deleted_in_the_middle_is_named()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20);
        rows.RemoveAt(16);
        var result = Verify(rows, checkpoints, checkpoints, head: (30, rows[^1].Hash));
        Assert.False(result.Intact);
        Assert.Equal(17, result.FirstBrokenSeq);
        Assert.Contains("Row 17 of shard legacy is missing", result.Problem);
    }

    [Fact]
    public void A_truncation_with_the_head_rewritten_is_named_by_the_witness_checkpoint_beyond_the_end()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20, 25);
        rows.RemoveRange(22, 8);
        // The insider also drops the database's copies of the checkpoints past the new end.
        var result = Verify(rows, checkpoints, checkpoints[..2], head: (22, rows[^1].Hash));
        Assert.False(result.Intact);
        Assert.Equal(23, result.FirstBrokenSeq);
        Assert.Equal(3, result.BrokenCheckpoint!.Number);
        Assert.Equal(LedgerVerifier.FromWitness, result.BrokenCheckpoint.Source);
        Assert.Contains("rows 23–25 were removed", result.Problem);
    }

    [Fact]
    public void A_truncation_inside_the_unsigned_window_is_caught_only_by_the_head()
    {
        var rows = Rows(30);
        var checkpoints = Checkpoints(rows, 10, 20);
        var head = (30L, rows[^1].Hash);
        rows.RemoveRange(25, 5);
        var result = Verify(rows, checkpoints, checkpoints, head);
        Assert.False(result.Intact);
        Assert.Contains("rows were removed from the end", result.Problem);
        // With the head rewritten too, rows after the last checkpoint can go unnoticed: the documented window.
        Assert.True(Verify(rows, checkpoints, checkpoints, head: (25, rows[^1].Hash)).Intact);
    }

    [Fact]
    public void A_damaged_witness_line_is_reported()
    {
        var rows = Rows(5);
        var result = new LedgerVerifier(_ring, new WitnessContent([], ["Line 3 of the witness w.jsonl is not a checkpoint"]), []);
        foreach (var row in rows) result.Observe(row);
        var answer = result.Finish([Legacy(5, rows[^1].Hash)]);
        Assert.False(answer.Intact);
        Assert.Contains("Line 3", answer.Problem);
    }

    [Fact]
    public void The_witness_file_round_trips_checkpoints_and_flags_a_mangled_line()
    {
        var directory = Directory.CreateTempSubdirectory("safetynet-witness-").FullName;
        try
        {
            var options = Options.Create(new AuditCheckpointOptions { WitnessPath = Path.Combine(directory, "w.jsonl"), SecondWitnessPath = Path.Combine(directory, "copy", "w2.jsonl") });
            var witness = new CheckpointWitness(options, NullLogger<CheckpointWitness>.Instance);
            var rows = Rows(20);
            var checkpoints = Checkpoints(rows, 10, 20);
            foreach (var checkpoint in checkpoints) witness.Append(checkpoint);

            var read = witness.Read();
            Assert.Empty(read.Problems);
            Assert.Equal(4, read.Checkpoints.Count);
            Assert.True(read.Checkpoints[1].SameAs(checkpoints[1]));
            Assert.True(Verify(rows, read.Checkpoints, []).Intact);

            // A last line still being appended (no newline yet) is not read; once complete, a mangled one is flagged.
            File.AppendAllText(options.Value.WitnessPath, "{\"chain\":\"x\"}");
            Assert.Empty(witness.Read().Problems);
            Assert.Equal(4, witness.Read().Checkpoints.Count);
            File.AppendAllText(options.Value.WitnessPath, "\n");
            Assert.Contains("Line 3", Assert.Single(witness.Read().Problems));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_signing_key_is_generated_once_with_mode_600_and_reloaded()
    {
        var directory = Directory.CreateTempSubdirectory("safetynet-key-").FullName;
        try
        {
            var path = Path.Combine(directory, "keys", "audit.pem");
            var options = Options.Create(new AuditCheckpointOptions { SigningKeyPath = path, WitnessPath = Path.Combine(directory, "w.jsonl") });
            var first = new CheckpointKeys(options, NullLogger<CheckpointKeys>.Instance);
            if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            var second = new CheckpointKeys(options, NullLogger<CheckpointKeys>.Instance);
            Assert.Equal(first.Signer.PublicKey.KeyId, second.Signer.PublicKey.KeyId);

            var refused = Assert.Throws<OptionsValidationException>(() => new CheckpointKeys(
                Options.Create(new AuditCheckpointOptions { SigningKeyPath = Path.Combine(directory, "absent.pem"), GenerateSigningKey = false }),
                NullLogger<CheckpointKeys>.Instance));
            Assert.Contains("Audit:SigningKeyPath", refused.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private ChainVerification Verify(List<AuditRecord> rows, IReadOnlyList<AuditCheckpoint> witnessed, IReadOnlyList<AuditCheckpoint> stored, (long Seq, string Hash)? head = null)
    {
        var verifier = new LedgerVerifier(_ring, new WitnessContent(witnessed, []), stored);
        foreach (var row in rows)
            if (!verifier.Observe(row)) break;
        head ??= rows.Count == 0 ? (0, AuditChain.GenesisHash) : (rows[^1].Seq, rows[^1].Hash);
        return verifier.Finish([Legacy(head.Value.Seq, head.Value.Hash)]);
    }

    private static ShardHead Legacy(long seq, string hash) => new(AuditRecord.LegacyShard, seq, hash);

    private static List<AuditRecord> Rows(int count)
    {
        var rows = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        for (var seq = 1L; seq <= count; seq++)
        {
            var entry = new AuditEntry(Start.AddMilliseconds(seq), AuditKinds.AccessDecision, "deny", "policy-never", $"cam-{seq}", "police-jung", Actor: "kim");
            var hash = AuditChain.Hash(previous, seq, entry);
            rows.Add(new AuditRecord(seq, entry, previous, hash));
            previous = hash;
        }
        return rows;
    }

    /// <summary>What an insider does after editing a row: recompute every later link and hash.</summary>
    private static void Rechain(List<AuditRecord> rows, int from)
    {
        for (var i = from; i < rows.Count; i++)
        {
            var previous = i == 0 ? AuditChain.GenesisHash : rows[i - 1].Hash;
            rows[i] = rows[i] with { PrevHash = previous, Hash = AuditChain.Hash(previous, rows[i].Seq, rows[i].Entry) };
        }
    }

    private AuditCheckpoint[] Checkpoints(List<AuditRecord> rows, params long[] seqs)
    {
        var checkpoints = new List<AuditCheckpoint>();
        foreach (var seq in seqs)
            checkpoints.Add(_signer.Next("chain-a", checkpoints.LastOrDefault(), Legacy(seq, rows[(int)seq - 1].Hash), [], Start.AddSeconds(seq)));
        return [.. checkpoints];
    }
}
