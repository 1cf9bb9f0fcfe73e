using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Persistence;

/// <summary>
/// The SQLite ledger's search keys live in a companion file filled behind the writer. A search must answer exactly as a
/// scan of the ledger would, however far the index is behind, and the file must not be able to hide a row: a missing,
/// foreign or edited index is rebuilt from the ledger.
/// </summary>
public sealed class AuditKeyIndexTests
{
    private const int Rows = 640;
    private static readonly DateTimeOffset Start = new(2026, 12, 3, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Agencies = ["seoul-112", "seoul-119", "jongno-sos", "disaster-room"];
    private static readonly string[] Districts = ["11010", "11020", "11230"];

    /// <summary>Every filter alone and in combination, the two scopes, time ranges, a cursor and later pages.</summary>
    private static readonly AuditQuery[] Queries =
    [
        Query(),
        Query() with { PageSize = 7, Page = 3 },
        Query() with { AgencyId = "seoul-119", Page = 2, PageSize = 30 },
        Query() with { Page = 1_000_000, PageSize = 1000 },
        Query() with { CameraId = "11020-00003" },
        Query() with { CameraId = "11020-00003", Page = 2, PageSize = 4 },
        Query() with { AgencyId = "seoul-119", Outcome = "deny" },
        Query() with { SessionId = "s-5" },
        Query() with { IncidentId = "i-2", Kind = AuditKinds.View },
        Query() with { DistrictCode = "11230", Purpose = "emergency-response" },
        Query() with { From = Start.AddMinutes(100), To = Start.AddMinutes(300) },
        Query() with { AgencyId = "jongno-sos", BeforeSeq = 400 },
        Query() with { Scope = new AuditScope(["11010"], ["seoul-112"]) },
        Query() with { Scope = new AuditScope(["11020", "11230"], [], CamerasOnly: true), PageSize = 50 },
        Query() with { Scope = new AuditScope(["11010", "11230"], ["seoul-112", "jongno-sos"]), Page = 3, PageSize = 20 },
        Query() with { Scope = new AuditScope(["11010", "11010"], ["seoul-112", "seoul-112"]), PageSize = 40 },
        Query() with { Scope = new AuditScope(["11020"], ["seoul-119"]), Kind = AuditKinds.View, BeforeSeq = 500, Page = 2, PageSize = 9 },
        Query() with { Scope = new AuditScope([], []) },
        Query() with { Scope = new AuditScope([], ["disaster-room"]), Page = 2, PageSize = 5 },
        Query() with { Scope = new AuditScope([.. Enumerable.Range(0, 600).Select(i => $"9{i:D4}"), "11230"], ["seoul-119"]), PageSize = 30 },
        Query() with { CameraId = "no-such-camera" },
        Query() with { CameraId = "x' OR 1=1 --" },
    ];

    [Fact]
    public async Task Searches_answer_as_a_ledger_scan_before_during_and_after_indexing()
    {
        var (database, store) = await LedgerWithRowsAsync("keys-split");
        var all = await AllRowsAsync(store);
        var index = store.KeyIndex!;

        await AssertSearchesMatchScanAsync(store, all, "nothing indexed");
        Assert.Equal((250, Rows - 250L), await index.CatchUpAsync(250));
        await AssertSearchesMatchScanAsync(store, all, "250 rows indexed, the rest read from the ledger");
        Assert.Equal((Rows - 250, 0L), await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction));
        await AssertSearchesMatchScanAsync(store, all, "everything indexed");

        // Rows appended after the index caught up are found at once, from the ledger.
        await AppendAsync(database, 10, Rows);
        all = await AllRowsAsync(store);
        await AssertSearchesMatchScanAsync(store, all, "ten new rows not yet indexed");
        Assert.Equal((10, 0L), await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction));
        Assert.Empty(await index.FindDisagreementsAsync(10));
    }

    /// <summary>
    /// A district checks its stored policy against the ledger's newest policy edit at each activation. An edit made in the
    /// moments before a crash has no keys yet at the next start: it is found from the ledger's rows after the index's mark.
    /// </summary>
    [Fact]
    public async Task A_districts_newest_policy_edit_is_found_before_and_after_its_keys_are_indexed()
    {
        var (database, store) = await LedgerWithRowsAsync("policy-edits");
        var index = store.KeyIndex!;
        await AppendPolicyEditAsync(database, "11010", version: 1);
        await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction);
        await AppendAsync(database, 20, Rows);
        Assert.Equal(1, await NewestPolicyVersionAsync(store, "11010"));

        await AppendPolicyEditAsync(database, "11010", version: 2);
        await AppendAsync(database, 5, Rows + 20);
        Assert.Equal(2, await NewestPolicyVersionAsync(store, "11010"));
        Assert.Null(await store.NewestPolicyChangeAsync("11230"));

        await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction);
        Assert.Equal(2, await NewestPolicyVersionAsync(store, "11010"));
        Assert.Null(await store.NewestPolicyChangeAsync("11230"));
    }

    private static async Task AppendPolicyEditAsync(SafetyNetDatabase database, string district, int version)
    {
        await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance);
        await writer.AppendBatchAsync([new AuditEntry(Start, AuditKinds.PolicyChange, Actor: "policy-admin", DistrictCode: district,
            Details: JsonSerializer.Serialize(new { district, edit = "cell", version }))], CancellationToken.None);
    }

    private static async Task<int?> NewestPolicyVersionAsync(AuditStore store, string district)
    {
        if (await store.NewestPolicyChangeAsync(district) is not { Entry.Details: { } details }) return null;
        using var document = JsonDocument.Parse(details);
        return document.RootElement.GetProperty("version").GetInt32();
    }

    [Fact]
    public async Task A_deleted_or_foreign_index_file_is_rebuilt_from_the_ledger()
    {
        var (_, store) = await LedgerWithRowsAsync("keys-lost");
        var index = store.KeyIndex!;
        await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction);

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { index.FilePath, index.FilePath + "-wal", index.FilePath + "-shm" }) File.Delete(file);
        var fresh = new AuditStore(SafetyNetDatabase.ForSqliteFile(index.FilePath[..^".audit-keys".Length]));
        await AssertSearchesMatchScanAsync(fresh, await AllRowsAsync(fresh), "index file deleted, nothing indexed yet");
        Assert.Equal((Rows, 0L), await fresh.KeyIndex!.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction));

        // Another ledger's index, put beside this ledger: the row at its mark has another hash, so its keys are dropped.
        var (_, other) = await LedgerWithRowsAsync("keys-other", rows: 300);
        SqliteConnection.ClearAllPools();
        File.Copy(index.FilePath, other.KeyIndex!.FilePath, overwrite: true);
        var foreign = new AuditStore(SafetyNetDatabase.ForSqliteFile(other.KeyIndex.FilePath[..^".audit-keys".Length]));
        Assert.Equal((300, 0L), await foreign.KeyIndex!.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction));
        await AssertSearchesMatchScanAsync(foreign, await AllRowsAsync(foreign), "a foreign index replaced");
    }

    [Fact]
    public async Task Keys_edited_in_the_file_to_hide_rows_are_found_and_rebuilt_at_start()
    {
        var (database, store) = await LedgerWithRowsAsync("keys-edited");
        var index = store.KeyIndex!;
        await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction);
        var camera = Query() with { CameraId = "11020-00003", PageSize = Rows };
        var seen = (await store.QueryAsync(camera)).Items.Select(r => r.Seq).ToList();
        Assert.NotEmpty(seen);

        // An insider with the file: drop one camera's keys and move one row to another agency.
        await using (var file = new SqliteConnection($"Data Source={index.FilePath};Pooling=False"))
        {
            await file.OpenAsync();
            await SafetyNetDatabase.ExecuteAsync(file, "DELETE FROM audit_keys WHERE camera_id = '11020-00003'");
            await SafetyNetDatabase.ExecuteAsync(file, "UPDATE audit_keys SET agency_id = 'nobody' WHERE seq = 17");
        }
        Assert.Empty((await store.QueryAsync(camera)).Items);
        var named = await index.FindDisagreementsAsync(1000);
        Assert.Equal(seen.Append(17).Order(), named.Order());

        var indexer = new AuditKeyIndexer(index, new WriterLedger(database), Options.Create(new AuditSearchKeyOptions()), TimeProvider.System,
            NullLogger<AuditKeyIndexer>.Instance);
        await indexer.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.WaitAsync(async () => (await store.QueryAsync(camera)).Items.Select(r => r.Seq).ToList(), found => found.SequenceEqual(seen),
                TimeSpan.FromSeconds(30), "the camera's rows found again after the rebuild");
        }
        finally
        {
            await indexer.StopAsync(CancellationToken.None);
        }
        Assert.Empty(await index.FindDisagreementsAsync(10));
        await AssertSearchesMatchScanAsync(store, await AllRowsAsync(store), "rebuilt after the edit");
        await AssertRepairRecordedAsync(store, named);
    }

    [Fact]
    public async Task A_scrub_compares_the_file_stretch_by_stretch_and_names_every_edit_in_the_stretch_that_holds_it()
    {
        var (_, store) = await LedgerWithRowsAsync("keys-scrub");
        var index = store.KeyIndex!;
        await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction);
        await EditKeysAsync(index);
        var everything = await index.FindDisagreementsAsync(1000);

        var named = new List<long>();
        var stretches = 0;
        long from = 0;
        do
        {
            var (disagreeing, next) = await index.ScrubAsync(from, rows: 100, limit: 1000);
            Assert.All(disagreeing, seq => Assert.True(seq >= from && (next == 0 || seq < next), $"{seq} named by the stretch from {from} to {next}"));
            named.AddRange(disagreeing);
            from = next;
            stretches++;
        } while (from != 0 && stretches < 100);

        Assert.Equal(everything, named);
        Assert.Contains(17L, named);
        Assert.Contains(ForgedSeq, named);
        // Stretches of 100 keys, then the last one (fewer than 100 left) running to the end of the file.
        var keysInFile = Rows - DeletedKeys(everything) + 1;
        Assert.Equal(keysInFile / 100 + 1, stretches);
    }

    [Fact]
    public async Task Keys_edited_while_the_node_runs_are_found_within_a_pass_and_rebuilt()
    {
        var (database, store) = await LedgerWithRowsAsync("keys-scrub-running");
        var index = store.KeyIndex!;
        var clock = new FakeTimeProvider(Start);
        var options = Options.Create(new AuditSearchKeyOptions { ScrubInterval = TimeSpan.FromMinutes(1), ScrubRows = 1000 });
        var indexer = new AuditKeyIndexer(index, new WriterLedger(database), options, clock, NullLogger<AuditKeyIndexer>.Instance);
        IReadOnlyList<long> edited = [];
        await indexer.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.WaitAsync(async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                await using var keys = await index.OpenAsync();
                return await AuditKeyIndex.ReadMarkAsync(keys);
            }, mark => mark >= Rows, TimeSpan.FromSeconds(30), "the indexer to index the ledger");
            var camera = Query() with { CameraId = "11020-00003", PageSize = Rows };
            var seen = (await store.QueryAsync(camera)).Items.Select(r => r.Seq).ToList();

            await EditKeysAsync(index);
            Assert.Empty((await store.QueryAsync(camera)).Items);
            edited = await index.FindDisagreementsAsync(10);

            // No restart and no verify: the node's own comparison, one stretch a minute, finds the edit and rebuilds the keys.
            await Eventually.WaitAsync(async () =>
            {
                clock.Advance(TimeSpan.FromSeconds(20));
                return (await store.QueryAsync(camera)).Items.Select(r => r.Seq).ToList();
            }, found => found.SequenceEqual(seen), TimeSpan.FromSeconds(30), "the camera's rows found again after the scrub's rebuild");
        }
        finally
        {
            await indexer.StopAsync(CancellationToken.None);
        }
        Assert.Empty(await index.FindDisagreementsAsync(10));
        await AssertSearchesMatchScanAsync(store, await AllRowsAsync(store), "rebuilt after the scrub");
        await AssertRepairRecordedAsync(store, edited);
    }

    [Theory]
    [InlineData("00:00:00", 200_000, "Audit:SearchKeys:ScrubInterval")]
    [InlineData("2.00:00:00", 200_000, "Audit:SearchKeys:ScrubInterval")]
    [InlineData("00:01:00", 0, "Audit:SearchKeys:ScrubRows")]
    [InlineData("00:01:00", 50_000_000, "Audit:SearchKeys:ScrubRows")]
    public void A_scrub_setting_out_of_range_is_refused_with_its_name(string interval, int rows, string named)
    {
        var options = new AuditSearchKeyOptions { ScrubInterval = TimeSpan.Parse(interval), ScrubRows = rows };
        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(named, Assert.Single(errors).ErrorMessage);
    }

    private const long ForgedSeq = 100_000;

    /// <summary>An insider with the file: drops one camera's keys, moves one row to another agency, forges keys for a row that does not exist.</summary>
    /// <summary>The ledger itself says the file was edited, with the first rows the comparison named, as an auditor's search shows it.</summary>
    private static async Task AssertRepairRecordedAsync(AuditStore store, IReadOnlyList<long> named)
    {
        var repairs = (await store.QueryAsync(Query() with { Kind = AuditKinds.SearchKeysRepaired })).Items;
        var repair = Assert.Single(repairs);
        Assert.Equal("audit-key-indexer", repair.Entry.Actor);
        using var details = JsonDocument.Parse(repair.Entry.Details!);
        Assert.Equal(named.Take(10), details.RootElement.GetProperty("firstRows").EnumerateArray().Select(e => e.GetInt64()));
    }

    /// <summary>The ledger's own writer, one batch per entry: what the node's group-committing ledger does, without the batching.</summary>
    private sealed class WriterLedger(SafetyNetDatabase database) : IAuditLedger
    {
        public Task AppendAsync(AuditEntry entry) => AppendManyAsync([entry]);

        public async Task AppendManyAsync(IReadOnlyCollection<AuditEntry> entries)
        {
            await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance);
            await writer.AppendBatchAsync(entries.ToList(), CancellationToken.None);
        }
    }

    private static async Task EditKeysAsync(AuditKeyIndex index)
    {
        await using var file = new SqliteConnection($"Data Source={index.FilePath};Pooling=False");
        await file.OpenAsync();
        await SafetyNetDatabase.ExecuteAsync(file, "DELETE FROM audit_keys WHERE camera_id = '11020-00003'");
        await SafetyNetDatabase.ExecuteAsync(file, "UPDATE audit_keys SET agency_id = 'nobody' WHERE seq = 17");
        await SafetyNetDatabase.ExecuteAsync(file, "CREATE TEMP TABLE forged AS SELECT * FROM audit_keys WHERE seq = 20; " +
            $"UPDATE forged SET seq = {ForgedSeq}; INSERT INTO audit_keys SELECT * FROM forged");
    }

    /// <summary>The rows named that have no keys in the file any more (all but the moved and the forged one).</summary>
    private static int DeletedKeys(IReadOnlyList<long> named) => named.Count(seq => seq != 17 && seq != ForgedSeq);

    private static AuditQuery Query() => new(null, null, null, null, null, null, 1, 25);

    private static async Task<(SafetyNetDatabase Database, AuditStore Store)> LedgerWithRowsAsync(string name, int rows = Rows)
    {
        SafetyNetDatabase database = null!;
        await StoreDatabases.OnSqliteAsync(name, migrated =>
        {
            database = migrated;
            return Task.CompletedTask;
        });
        await AppendAsync(database, rows, 0);
        return (database, new AuditStore(database));
    }

    /// <summary>Rows whose keys repeat at different strides, so every filter and combination matches a different subset.</summary>
    private static async Task AppendAsync(SafetyNetDatabase database, int count, int first)
    {
        var entries = Enumerable.Range(first, count).Select(i => new AuditEntry(
            Start.AddMinutes(i),
            i % 3 == 0 ? AuditKinds.View : AuditKinds.AccessDecision,
            i % 4 == 0 ? "deny" : "allow",
            CameraId: i % 11 == 0 ? null : $"{Districts[i % 3]}-{i % 7:D5}",
            AgencyId: Agencies[i % 4],
            SessionId: $"s-{i % 13}",
            IncidentId: i % 5 == 0 ? null : $"i-{i % 6}",
            DistrictCode: i % 11 == 0 ? null : Districts[i % 3],
            Purpose: i % 2 == 0 ? "emergency-response" : "child-protection")).ToList();
        await using var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance);
        await writer.AppendBatchAsync(entries, CancellationToken.None);
    }

    private static async Task<List<AuditRecord>> AllRowsAsync(AuditStore store)
    {
        var rows = new List<AuditRecord>();
        await foreach (var row in store.ReadChainAsync(0, long.MaxValue)) rows.Add(row);
        return rows;
    }

    private static async Task AssertSearchesMatchScanAsync(AuditStore store, IReadOnlyList<AuditRecord> all, string when)
    {
        foreach (var query in Queries)
        {
            var expected = all.Where(r => Matches(query, r)).OrderByDescending(r => r.Seq)
                .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize + 1).ToList();
            var page = await store.QueryAsync(query);
            Assert.True(expected.Take(query.PageSize).Select(r => r.Seq).SequenceEqual(page.Items.Select(r => r.Seq)),
                $"{when}: {query} answered [{string.Join(", ", page.Items.Select(r => r.Seq))}], a scan finds [{string.Join(", ", expected.Take(query.PageSize).Select(r => r.Seq))}]");
            Assert.Equal(expected.Count > query.PageSize, page.HasMore);
            Assert.All(page.Items, r => Assert.Equal(all.Single(a => a.Seq == r.Seq), r));
        }
    }

    /// <summary>The query's meaning, written out over the rows: the oracle the searches are held to.</summary>
    private static bool Matches(AuditQuery q, AuditRecord r)
    {
        var e = r.Entry;
        bool Is(string? wanted, string? value) => wanted is null || wanted == value;
        var inScope = q.Scope is not { } scope || (scope.CamerasOnly
            ? e.CameraId is not null && scope.DistrictCodes.Contains(e.DistrictCode)
            : scope.DistrictCodes.Contains(e.DistrictCode) || (e.DistrictCode is null && scope.AgencyIds.Contains(e.AgencyId)));
        return Is(q.CameraId, e.CameraId) && Is(q.AgencyId, e.AgencyId) && Is(q.SessionId, e.SessionId) && Is(q.IncidentId, e.IncidentId)
               && Is(q.Kind, e.Kind) && Is(q.Outcome, e.Outcome) && Is(q.DistrictCode, e.DistrictCode) && Is(q.Purpose, e.Purpose) && inScope
               && (q.BeforeSeq is not { } before || r.Seq < before)
               && (q.From is not { } from || e.OccurredAt >= from) && (q.To is not { } to || e.OccurredAt < to);
    }
}
