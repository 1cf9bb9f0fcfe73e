using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Audit.Archive;
using SafetyNet.Grains.Persistence;
using SafetyNet.Silo.Hosting;
using SafetyNet.Tests.Incidents;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Api;

/// <summary>
/// Retention acceptance: a ledger whose first rows are months old (written, and covered by a signed checkpoint, before the
/// node starts) is archived with a short period; verify stays intact over the archives plus the live table, and touching
/// an archive or deleting live rows by moving the horizon is named.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private const int MonthsBack = 4;
    private const int RowsPerMonth = 5;
    private const int OldRows = MonthsBack * RowsPerMonth;
    private string _data = null!;
    private TestNode _node = null!;
    private string _auditor = null!;

    private string ArchiveDirectory => Path.Combine(_data, "audit-archive");

    public async Task InitializeAsync()
    {
        _data = Directory.CreateTempSubdirectory("safetynet-retention-").FullName;
        await SeedOldRowsAsync();
        _node = await TestNode.StartAsync(cameras: 2000, dataDirectory: _data, extra: new Dictionary<string, string?>
        {
            ["Audit:CheckpointInterval"] = "00:00:00.200",
            ["Retention:LedgerPeriod"] = "30.00:00:00",
            ["Retention:AllowPeriodBelowLegalMinimum"] = "true",
        });
        _auditor = await _node.TokenAsync("seoul-audit", "auditor-1", "auditor");
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
    }

    [Fact]
    public async Task Archiving_keeps_verify_intact_over_archives_and_live_table_and_tampering_is_named()
    {
        await Eventually.WaitAsync(VerifyAsync, v => v.Intact && v.UncheckpointedRecords == 0, TimeSpan.FromSeconds(20), "the ledger checkpointed");

        var archived = await _node.Grains.GetGrain<ILedgerArchiveGrain>(0).ArchiveNowAsync();
        Assert.Equal((1, OldRows, OldRows), (archived.FirstSeq, archived.LastSeq, archived.Rows));
        Assert.Equal(MonthsBack, archived.Files.Length);
        Assert.All(archived.Files, f => Assert.True(File.Exists(Path.Combine(ArchiveDirectory, f + ArchiveManifest.Suffix))));
        Assert.Equal(0, (await _node.Grains.GetGrain<ILedgerArchiveGrain>(0).ArchiveNowAsync()).Rows);

        var verified = await VerifyAsync();
        Assert.True(verified.Intact, verified.Problem);
        Assert.True(verified.RecordsChecked > OldRows);
        var witness = File.ReadLines(Path.Combine(_data, "audit-witness.jsonl"));
        Assert.Contains(witness, line => line.Contains($"\"seq\":{OldRows},"));
        var archivedEntry = Assert.Single((await _node.Grains.GetGrain<IAuditGrain>(0).QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 10, Kind: AuditKinds.LedgerArchived))).Items);
        Assert.Contains($"\"lastSeq\":{OldRows}", archivedEntry.Entry.Details);
        var liveStart = await ScalarAsync("SELECT MIN(seq) FROM audit_ledger");
        Assert.Equal(OldRows + 1, liveStart);
        await Assert.ThrowsAsync<SqliteException>(() => ScalarAsync($"DELETE FROM audit_ledger WHERE seq = {OldRows + 1}"));
        Assert.Equal(0, await OfflineVerifyAsync());

        var second = Path.Combine(ArchiveDirectory, archived.Files[1]);
        var original = await File.ReadAllBytesAsync(second);
        var flipped = original.ToArray();
        flipped[flipped.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(second, flipped);
        var altered = await VerifyAsync();
        Assert.False(altered.Intact);
        Assert.Contains($"{archived.Files[1]} was altered", altered.Problem);
        Assert.Equal(1, await OfflineVerifyAsync());

        File.Delete(second);
        Assert.Contains($"{archived.Files[1]} (rows {RowsPerMonth + 1}–{2 * RowsPerMonth}", (await VerifyAsync()).Problem);
        await File.WriteAllBytesAsync(second, original);
        Assert.True((await VerifyAsync()).Intact);

        // An insider moves the horizon to delete live rows: the trigger lets the delete through, verify does not.
        var (from, to) = (OldRows + 1, OldRows + 3);
        await ScalarAsync($"INSERT INTO audit_archive (first_seq, last_seq, month, file, last_hash, sha256, archived_at) " +
                          $"SELECT {from}, {to}, '2026-01', 'audit-archive-forged.jsonl.gz', hash, '', '' FROM audit_ledger WHERE seq = {to}; " +
                          $"DELETE FROM audit_ledger WHERE seq <= {to}");
        var moved = await VerifyAsync();
        Assert.False(moved.Intact);
        Assert.Equal(from, moved.FirstBrokenSeq);
        Assert.Contains($"Rows {from}–{to} are neither in a signed archive", moved.Problem);
    }

    /// <summary>Rows one a week apart in each of the months before the period, chained by the real writer and signed by a real checkpointer with the node's key.</summary>
    private async Task SeedOldRowsAsync()
    {
        var database = SafetyNetDatabase.ForSqliteFile(Path.Combine(_data, "safetynet.db"));
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var now = DateTimeOffset.UtcNow;
        var entries = Enumerable.Range(0, OldRows).Select(i =>
        {
            var month = now.AddMonths(i / RowsPerMonth - MonthsBack - 2);
            var at = new DateTimeOffset(month.Year, month.Month, 1 + i % RowsPerMonth * 5, 3, 0, 0, TimeSpan.Zero);
            return new AuditEntry(at, AuditKinds.View, "allow", CameraId: $"11020-{i % 5 + 1:D5}", AgencyId: "police-jung", DistrictCode: "11020");
        }).ToList();
        var shard = LedgerShard.New();
        await using var writer = new AuditWriter(database, shard, NullLogger<AuditWriter>.Instance);
        await writer.AppendBatchAsync(entries, CancellationToken.None);
        var options = Options.Create(new AuditCheckpointOptions
        {
            SigningKeyPath = Path.Combine(_data, "audit-checkpoint-key.pem"), WitnessPath = Path.Combine(_data, "audit-witness.jsonl"),
        });
        var keys = new CheckpointKeys(options, NullLogger<CheckpointKeys>.Instance);
        var store = new AuditStore(database);
        using var checkpointer = new AuditCheckpointer(store, writer, new CheckpointStore(database), new CheckpointWitness(options, NullLogger<CheckpointWitness>.Instance),
            keys, shard, options, TimeProvider.System, NullLogger<AuditCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        // The seeded rows are the seeding writer's shard, which the node continues: it must be the chain the witness names.
        await Eventually.WaitAsync(() => Task.FromResult(File.Exists(options.Value.WitnessPath)), exists => exists, TimeSpan.FromSeconds(20), "the seed's checkpoint");
        await checkpointer.StopAsync(CancellationToken.None);
    }

    private async Task<int> OfflineVerifyAsync()
    {
        var keys = await _node.Grains.GetGrain<IAuditGrain>(0).GetCheckpointKeysAsync();
        var publicKey = Path.Combine(_data, "node.pub.pem");
        await File.WriteAllTextAsync(publicKey, keys[0].PublicKeyPem);
        return await OfflineAuditVerify.RunAsync([OfflineAuditVerify.Verb, "--witness", Path.Combine(_data, "audit-witness.jsonl"), "--public-key", publicKey,
            "--archive", ArchiveDirectory, "--Storage:DataDirectory", _data, "--Cluster:Provider", "Embedded"]);
    }

    private Task<ChainVerification> VerifyAsync() => _node.VerifyLedgerAsync(_auditor);

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "safetynet.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync() is long value ? value : 0;
    }
}
