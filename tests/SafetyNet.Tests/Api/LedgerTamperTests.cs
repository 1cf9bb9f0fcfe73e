using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Silo.Hosting;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// An insider with write access to a real node's SQLite file rewrites the ledger the ways issue 10 found; each time
/// <c>GET /api/v1/audit/verify</c>, asked by an auditor, names the row or the signed checkpoint that gives it away.
/// </summary>
public sealed class LedgerTamperTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private string _auditor = null!;
    private string _operator = null!;

    public Task InitializeAsync() => StartAsync(dataDirectory: null, checkpointInterval: "00:00:00.200");

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
    }

    [Fact]
    public async Task A_single_row_edit_is_named_at_its_row()
    {
        var (_, last) = await WriteAndCheckpointAsync(20);
        var victim = last - 10;
        await SqlAsync("DROP TRIGGER trg_audit_ledger_no_update; UPDATE audit_ledger SET outcome = CASE outcome WHEN 'allow' THEN 'deny' ELSE 'allow' END WHERE seq = $v", ("$v", victim));

        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(victim, result.FirstBrokenSeq);
        Assert.NotNull(result.BrokenShard);
        Assert.Contains($"Row {victim} of shard {result.BrokenShard} was altered", result.Problem);
    }

    [Fact]
    public async Task An_edit_with_every_later_hash_and_the_head_recomputed_is_named_by_the_next_checkpoint()
    {
        var (firstCheckpoint, _) = await WriteAndCheckpointAsync(10);
        var (secondCheckpoint, last) = await WriteAndCheckpointAsync(20);
        var victim = last - 10;
        await RewriteAsync(victim, record => record.Entry with { Outcome = record.Entry.Outcome == "allow" ? "deny" : "allow", Reason = "rewritten" });

        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.NotNull(result.BrokenCheckpoint);
        // The timer may sign a checkpoint in between the two waits; the one named is the first that covers the victim.
        Assert.InRange(result.BrokenCheckpoint.Number, firstCheckpoint.Number + 1, secondCheckpoint.Number);
        Assert.InRange(victim, result.FirstBrokenSeq!.Value, result.BrokenCheckpoint.Seq);
        Assert.True(result.FirstBrokenSeq > firstCheckpoint.Seq);
        Assert.Contains("rewritten", result.Problem);
        Assert.Contains($"checkpoint #{result.BrokenCheckpoint.Number}", result.Problem);
    }

    [Fact]
    public async Task An_edit_before_the_next_checkpoint_with_every_later_hash_and_the_head_recomputed_is_named_by_verify()
    {
        // Checkpoints only at start and at a clean stop: the insider's edit lands before the checkpoint that covers the row.
        var (covered, _) = await WriteAndCheckpointAsync(0);
        await RestartAsync(checkpointInterval: "01:00:00");
        for (var i = 0; i < 20; i++)
        {
            using var response = await _node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/11020-{i % 5 + 1:D5}/access?purpose=monitoring", _operator);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var last = await CountAsync("SELECT MAX(seq) FROM audit_ledger");
        var victim = last - 10;
        Assert.True(victim > covered.Seq);
        await RewriteAsync(victim, record => record.Entry with { Outcome = record.Entry.Outcome == "allow" ? "deny" : "allow", Reason = "rewritten" });

        await RestartAsync(checkpointInterval: "01:00:00");
        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.NotNull(result.BrokenCheckpoint);
        Assert.True(result.BrokenCheckpoint.Seq >= last);
        Assert.InRange(victim, result.FirstBrokenSeq!.Value, result.BrokenCheckpoint.Seq);
        Assert.True(result.FirstBrokenSeq > covered.Seq);
        Assert.Contains("rewritten", result.Problem);
    }

    [Fact]
    public async Task A_row_deleted_in_the_middle_is_named()
    {
        var (_, last) = await WriteAndCheckpointAsync(20);
        var victim = last - 10;
        await SqlAsync("DROP TRIGGER trg_audit_ledger_delete_archived_only; DELETE FROM audit_ledger WHERE seq = $v", ("$v", victim));

        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(victim, result.FirstBrokenSeq);
        Assert.Contains($"Row {victim} of shard {result.BrokenShard} is missing", result.Problem);
    }

    [Fact]
    public async Task A_truncation_with_the_head_and_the_database_checkpoints_rewritten_is_named_by_the_witness()
    {
        var (checkpoint, last) = await WriteAndCheckpointAsync(20);
        var cut = last - 10;
        var newEnd = await RecordAsync(cut);
        await SqlAsync("""
            DROP TRIGGER trg_audit_ledger_delete_archived_only; DROP TRIGGER trg_audit_checkpoint_no_delete;
            DELETE FROM audit_ledger WHERE seq > $cut;
            DELETE FROM audit_checkpoint WHERE seq > $cut;
            UPDATE audit_shard_head SET last_seq = $cut, last_hash = $hash WHERE shard <> 'legacy';
            """, ("$cut", cut), ("$hash", newEnd.Hash));

        var result = await VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(cut + 1, result.FirstBrokenSeq);
        Assert.Equal("witness", result.BrokenCheckpoint!.Source);
        Assert.True(result.BrokenCheckpoint.Seq >= checkpoint.Seq);
        Assert.Contains($"rows {cut + 1}–{result.BrokenCheckpoint.Seq} were removed", result.Problem);
    }

    [Fact]
    public async Task A_checkpoint_forged_in_the_database_is_named_by_its_signature()
    {
        var (checkpoint, last) = await WriteAndCheckpointAsync(10);
        await SqlAsync("""
            INSERT INTO audit_checkpoint (chain, number, key_id, seq, entry_hash, previous_hash, signed_at, signature)
            SELECT chain, number + 1000, key_id, seq, entry_hash, previous_hash, signed_at, signature FROM audit_checkpoint WHERE number = $n
            """, ("$n", checkpoint.Number));
        var gap = await VerifyAsync();
        Assert.False(gap.Intact);
        Assert.Equal(checkpoint.Number + 1000, gap.BrokenCheckpoint!.Number);
        Assert.Contains("was deleted", gap.Problem);

        await SqlAsync("DROP TRIGGER trg_audit_checkpoint_no_delete; DELETE FROM audit_checkpoint WHERE number > 1000; " +
                       "DROP TRIGGER trg_audit_checkpoint_no_update; UPDATE audit_checkpoint SET entry_hash = $h WHERE number = $n",
            ("$h", new string('f', 64)), ("$n", checkpoint.Number));
        var altered = await VerifyAsync();
        Assert.False(altered.Intact);
        Assert.Equal(checkpoint.Number, altered.BrokenCheckpoint!.Number);
        Assert.Contains("differs from the witness", altered.Problem);
        Assert.True(last >= checkpoint.Seq);
    }

    [Fact]
    public async Task Checkpoints_verify_offline_with_openssl_and_the_published_public_key()
    {
        var (checkpoint, _) = await WriteAndCheckpointAsync(5);
        using var keysResponse = await _node.SendAsync(HttpMethod.Get, "/api/v1/audit/checkpoint-keys", _auditor);
        Assert.Equal(HttpStatusCode.OK, keysResponse.StatusCode);
        var key = Assert.Single(await keysResponse.Content.ReadFromJsonAsync<CheckpointKeyInfo[]>(TestNode.Json) ?? []);
        Assert.True(key.SignsOnThisNode);
        Assert.Equal(checkpoint.KeyId, key.KeyId);
        using (var denied = await _node.SendAsync(HttpMethod.Get, "/api/v1/audit/checkpoint-keys", _operator))
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);

        var witnessLine = File.ReadLines(Path.Combine(_node.DataDirectory, "audit-witness.jsonl")).Last();
        var witnessed = JsonSerializer.Deserialize<AuditCheckpoint>(witnessLine, TestNode.Json)!;
        var directory = Path.Combine(_node.DataDirectory, "offline");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "key.pem"), key.PublicKeyPem);
        await File.WriteAllBytesAsync(Path.Combine(directory, "payload"), witnessed.Payload());
        await File.WriteAllBytesAsync(Path.Combine(directory, "signature"), Convert.FromBase64String(witnessed.Signature));
        Assert.Equal(0, await OpensslVerifyAsync(directory));

        await File.WriteAllBytesAsync(Path.Combine(directory, "payload"), (witnessed with { Seq = witnessed.Seq + 1 }).Payload());
        Assert.NotEqual(0, await OpensslVerifyAsync(directory));
    }

    [Fact]
    public async Task The_offline_audit_verify_command_checks_the_database_against_a_copied_witness_and_key()
    {
        var (_, last) = await WriteAndCheckpointAsync(10);
        using var keysResponse = await _node.SendAsync(HttpMethod.Get, "/api/v1/audit/checkpoint-keys", _auditor);
        var key = Assert.Single(await keysResponse.Content.ReadFromJsonAsync<CheckpointKeyInfo[]>(TestNode.Json) ?? []);
        var offline = Directory.CreateTempSubdirectory("safetynet-offline-").FullName;
        try
        {
            var publicKey = Path.Combine(offline, "node.pub.pem");
            var witness = Path.Combine(offline, "witness.jsonl");
            await File.WriteAllTextAsync(publicKey, key.PublicKeyPem);
            File.Copy(Path.Combine(_node.DataDirectory, "audit-witness.jsonl"), witness);
            string[] command = [OfflineAuditVerify.Verb, "--witness", witness, "--public-key", publicKey, "--Storage:DataDirectory", _node.DataDirectory, "--Cluster:Provider", "Embedded"];

            Assert.Equal(0, await OfflineAuditVerify.RunAsync(command));
            Assert.Equal(2, await OfflineAuditVerify.RunAsync([OfflineAuditVerify.Verb, "--witness", witness]));

            await SqlAsync("DROP TRIGGER trg_audit_ledger_no_update; UPDATE audit_ledger SET actor = 'someone-else' WHERE seq = $v", ("$v", last - 3));
            Assert.Equal(1, await OfflineAuditVerify.RunAsync(command));
        }
        finally
        {
            Directory.Delete(offline, recursive: true);
        }
    }

    private async Task StartAsync(string? dataDirectory, string checkpointInterval)
    {
        _node = await TestNode.StartAsync(cameras: 2000, dataDirectory, new Dictionary<string, string?> { ["Audit:CheckpointInterval"] = checkpointInterval });
        _auditor = await _node.TokenAsync("control-jung", "privacy-officer", "auditor");
        (_, _operator) = await _node.SessionAsync("seoul-112", "kim");
    }

    /// <summary>A clean stop (which signs a last checkpoint) and a start on the same data.</summary>
    private async Task RestartAsync(string checkpointInterval)
    {
        await _node.DisposeAsync();
        await StartAsync(_node.DataDirectory, checkpointInterval);
    }

    private static async Task<int> OpensslVerifyAsync(string directory)
    {
        using var openssl = Process.Start(new ProcessStartInfo("openssl", ["dgst", "-sha256", "-verify", "key.pem", "-signature", "signature", "payload"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await openssl.WaitForExitAsync();
        return openssl.ExitCode;
    }

    /// <summary>Audited access decisions through the API, then waits until a signed checkpoint covers all of them.</summary>
    private async Task<(CheckpointReference Checkpoint, long LastSeq)> WriteAndCheckpointAsync(int decisions)
    {
        for (var i = 0; i < decisions; i++)
        {
            using var response = await _node.SendAsync(HttpMethod.Get, $"/api/v1/cameras/11020-{i % 5 + 1:D5}/access?purpose=monitoring", _operator);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var covered = await Eventually.WaitAsync(VerifyAsync, v => v.Intact && v.LastCheckpoint is not null && v.UncheckpointedRecords == 0,
            TimeSpan.FromSeconds(20), "a checkpoint covering the whole ledger");
        // The checkpointer writes the witness first and the database copy a moment later; verify believes the witness
        // alone, but these tests tamper with the database copy, so it must be there.
        var checkpoint = covered.LastCheckpoint!;
        await Eventually.WaitAsync(() => CountAsync("SELECT COUNT(*) FROM audit_checkpoint WHERE chain = $c AND number = $n", ("$c", checkpoint.Chain), ("$n", checkpoint.Number)),
            count => count == 1, TimeSpan.FromSeconds(20), $"the database copy of checkpoint #{checkpoint.Number}");
        return (checkpoint, checkpoint.Seq);
    }

    private async Task<long> CountAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private Task<ChainVerification> VerifyAsync() => _node.VerifyLedgerAsync(_auditor);

    private async Task<AuditRecord> RecordAsync(long seq)
    {
        await foreach (var record in _node.App.Services.GetRequiredService<AuditStore>().ReadChainAsync(seq - 1, seq)) return record;
        throw new InvalidOperationException($"row {seq} is not in the ledger");
    }

    /// <summary>What an insider does to hide an edit: change the row, recompute every later link and hash, move the head.</summary>
    private async Task RewriteAsync(long victim, Func<AuditRecord, AuditEntry> edit)
    {
        var rows = new List<AuditRecord>();
        await foreach (var record in _node.App.Services.GetRequiredService<AuditStore>().ReadChainAsync(victim - 1, long.MaxValue)) rows.Add(record);
        await using var connection = await OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await ExecuteAsync(connection, "DROP TRIGGER trg_audit_ledger_no_update");
        var previous = rows[0].PrevHash;
        foreach (var row in rows)
        {
            var entry = row.Seq == victim ? edit(row) : row.Entry;
            var hash = AuditChain.Hash(previous, row.Position, entry);
            await ExecuteAsync(connection, "UPDATE audit_ledger SET outcome = $o, reason = $r, prev_hash = $p, hash = $h WHERE seq = $s",
                ("$o", entry.Outcome), ("$r", entry.Reason), ("$p", previous), ("$h", hash), ("$s", row.Seq));
            previous = hash;
        }
        await ExecuteAsync(connection, "UPDATE audit_shard_head SET last_seq = $s, last_hash = $h WHERE shard = $shard", ("$s", rows[^1].Position), ("$h", previous),
            ("$shard", rows[^1].ShardId));
        await transaction.CommitAsync();
    }

    private async Task SqlAsync(string sql, params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync();
        await ExecuteAsync(connection, sql, parameters);
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_node.DataDirectory, "safetynet.db")};Default Timeout=30");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA busy_timeout = 30000");
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
