using System.Text.Json;
using Microsoft.Data.Sqlite;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Grains;

/// <summary>The ledger is hash-chained: editing or removing a row directly in the database is detected at that row.</summary>
[Collection(GrainClusterCollection.Name)]
public sealed class AuditChainTests(GrainClusterFixture fixture)
{
    [Fact]
    public async Task Tampering_in_sqlite_is_detected_at_the_first_altered_row()
    {
        var audit = fixture.Grains.GetGrain<IAuditGrain>(0);
        var marker = Guid.NewGuid().ToString("N");
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => audit.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.AccessDecision, "deny", "no-rule",
            $"tamper-cam-{i}", "tamper-agency", marker, null, "tester", $$"""{"i":{{i}}}"""))));
        Assert.True((await audit.VerifyAsync()).Intact);

        var page = await audit.QueryAsync(new AuditQuery(null, null, marker, null, null, null, 1, 100));
        var victim = page.Items.OrderBy(r => r.Seq).Skip(7).First().Seq;
        await using (var connection = new SqliteConnection(fixture.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER IF EXISTS trg_audit_ledger_no_update";
            await command.ExecuteNonQueryAsync();
            command.CommandText = "UPDATE audit_ledger SET outcome = 'allow' WHERE seq = $seq";
            command.Parameters.AddWithValue("$seq", victim);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var result = await audit.VerifyAsync();
        Assert.False(result.Intact);
        Assert.Equal(victim, result.FirstBrokenSeq);
        Assert.Contains("altered", result.Problem);

        await using (var connection = new SqliteConnection(fixture.Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var restore = connection.CreateCommand();
            var ledgerScript = SchemaMigrator.LoadScripts(DatabaseProvider.Sqlite).Single(s => s.Name.StartsWith("003_")).Sql;
            restore.CommandText = "UPDATE audit_ledger SET outcome = 'deny' WHERE seq = $seq;" + ledgerScript;
            restore.Parameters.AddWithValue("$seq", victim);
            await restore.ExecuteNonQueryAsync();
        }
        Assert.True((await audit.VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Search_keys_edited_in_their_file_are_named_by_verify_and_rebuilt()
    {
        var audit = fixture.Grains.GetGrain<IAuditGrain>(0);
        var marker = Guid.NewGuid().ToString("N");
        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => audit.AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.View, "allow",
            CameraId: $"keys-cam-{i}", AgencyId: "keys-agency", SessionId: marker, Actor: "tester"))));
        var bySession = new AuditQuery(null, null, marker, null, null, null, 1, 100);
        var rows = (await audit.QueryAsync(bySession)).Items.Select(r => r.Seq).Order().ToList();
        Assert.Equal(12, rows.Count);
        var index = AuditKeyIndex.For(fixture.Database)!;
        await Eventually.WaitAsync(async () =>
        {
            await using var keys = await index.OpenAsync();
            return await AuditKeyIndex.ReadMarkAsync(keys);
        }, mark => mark >= rows[^1], TimeSpan.FromSeconds(30), "the node's indexer to index the new rows");

        // An insider with the key file hides the session's rows from searches; the ledger is untouched.
        await using (var file = new SqliteConnection($"Data Source={index.FilePath};Pooling=False"))
        {
            await file.OpenAsync();
            await SafetyNetDatabase.ExecuteAsync(file, $"DELETE FROM audit_keys WHERE session_id = '{marker}'");
        }
        Assert.Empty((await audit.QueryAsync(bySession)).Items);

        var verified = await audit.VerifyAsync();
        Assert.True(verified.Intact);
        Assert.Equal(rows.Take(10), verified.SearchKeysDisagreeing);
        var found = await Eventually.WaitAsync(async () => (await audit.QueryAsync(bySession)).Items.Select(r => r.Seq).Order().ToList(),
            seqs => seqs.Count == rows.Count, TimeSpan.FromSeconds(30), "the session's rows searchable again after the rebuild");
        Assert.Equal(rows, found);
        Assert.Null((await audit.VerifyAsync()).SearchKeysDisagreeing);

        // The ledger itself records the repair, naming the rows the edit hid, for the auditor who reads the trail later.
        var repairs = (await audit.QueryAsync(new AuditQuery(null, null, null, null, null, null, 1, 100) { Kind = AuditKinds.SearchKeysRepaired })).Items;
        var repair = Assert.Single(repairs, r => FirstRows(r).SequenceEqual(rows.Take(10)));
        Assert.Contains("verification", repair.Entry.Reason);
    }

    private static IEnumerable<long> FirstRows(AuditRecord record) =>
        JsonDocument.Parse(record.Entry.Details!).RootElement.GetProperty("firstRows").EnumerateArray().Select(e => e.GetInt64()).ToList();

    [Fact]
    public async Task The_ledger_refuses_updates_and_deletes_through_sql()
    {
        await fixture.Grains.GetGrain<IAuditGrain>(0).AppendAsync(new AuditEntry(DateTimeOffset.UtcNow, AuditKinds.Import, Actor: "tester"));
        await using var connection = new SqliteConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM audit_ledger WHERE seq = (SELECT MAX(seq) FROM audit_ledger)";
        var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
        Assert.Contains("append-only", error.Message);
    }
}
