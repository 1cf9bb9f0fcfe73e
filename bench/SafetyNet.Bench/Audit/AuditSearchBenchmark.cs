using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SafetyNet.Bench.Measurement;
using SafetyNet.Contracts.Audit;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Bench.Audit;

/// <summary>
/// What moving the search keys out of the embedded ledger costs an auditor: the time of the searches the audit view and the
/// privacy officers make, through the key index caught up, through it with a tail of rows not yet indexed (what a surge
/// leaves), and, for comparison, the same search as one statement on the ledger indexed in place (the design before).
/// </summary>
public static class AuditSearchBenchmark
{
    private const int PageSize = 50;
    private const int Trials = 200;
    private const int BatchRows = 1000;
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Districts = Enumerable.Range(0, 25).Select(i => $"11{i * 10 + 10:D3}").ToArray();
    private static readonly string[] Agencies = ["seoul-112", "seoul-119", "seoul-disaster-room", "jongno-sos", "gangnam-sos", "mapo-police",
        "songpa-fire", "nowon-sos", "seoul-audit", "jung-privacy", "guro-police", "eunpyeong-fire"];

    private static readonly string[] OldIndexes =
    [
        "CREATE INDEX ix_audit_ledger_camera ON audit_ledger (camera_id, seq)",
        "CREATE INDEX ix_audit_ledger_agency ON audit_ledger (agency_id, seq)",
        "CREATE INDEX ix_audit_ledger_session ON audit_ledger (session_id, seq)",
        "CREATE INDEX ix_audit_ledger_incident ON audit_ledger (incident_id, seq)",
        "CREATE INDEX ix_audit_ledger_occurred ON audit_ledger (occurred_at)",
        "CREATE INDEX ix_audit_ledger_district ON audit_ledger (district_code, seq)",
    ];

    private sealed record Search(string Name, Func<Random, AuditQuery> Query, Func<Random, (string Where, (string, object)[] Values)> InPlace);

    public static async Task RunAsync(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var tail = args.Length > 1 ? int.Parse(args[1]) : 20_000;
        Console.WriteLine($"## audit-search: auditor searches over {rows:N0} ledger rows, page of {PageSize}, {Trials} of each\n");
        var directory = Directory.CreateTempSubdirectory("safetynet-audit-search-").FullName;
        var database = SafetyNetDatabase.ForSqliteFile(Path.Combine(directory, "safetynet.db"));
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();
        var store = new AuditStore(database);
        var index = store.KeyIndex!;

        await using (var writer = new AuditWriter(database, LedgerShard.New(), NullLogger<AuditWriter>.Instance))
        {
            var written = Stopwatch.StartNew();
            await AppendAsync(writer, 0, rows);
            Console.WriteLine($"Ledger: {rows:N0} rows written in {written.Elapsed.TotalSeconds:F1} s.");
            var indexed = Stopwatch.StartNew();
            while ((await index.CatchUpAsync(AuditKeyIndexer.RowsPerTransaction)).Waiting > 0)
            {
            }
            Console.WriteLine($"Key index built from scratch in {indexed.Elapsed.TotalSeconds:F1} s ({rows / indexed.Elapsed.TotalSeconds:N0} rows/s).\n");
            await TimeComparisonsAsync(index, rows);

            var searches = Searches(rows + tail);
            var caughtUp = await TimeAsync(searches, s => r => store.QueryAsync(s.Query(r)));
            await AppendAsync(writer, rows, tail);
            var behind = await TimeAsync(searches, s => r => store.QueryAsync(s.Query(r)));

            var built = Stopwatch.StartNew();
            await using var connection = await database.OpenAsync();
            foreach (var statement in OldIndexes) await SafetyNetDatabase.ExecuteAsync(connection, statement);
            Console.WriteLine($"The six search indexes built on the ledger itself (for the comparison) in {built.Elapsed.TotalSeconds:F1} s.\n");
            var inPlace = await TimeAsync(searches, s => r => InPlaceAsync(database, s.InPlace(r)));

            var table = new MarkdownTable("search", "key index caught up: p50 ms", "p99 ms", $"{tail:N0} rows not yet indexed: p50 ms", "p99 ms",
                "ledger indexed in place (before): p50 ms", "p99 ms");
            for (var i = 0; i < searches.Count; i++)
                table.Add(searches[i].Name, caughtUp[i].P50Ms, caughtUp[i].P99Ms, behind[i].P50Ms, behind[i].P99Ms, inPlace[i].P50Ms, inPlace[i].P99Ms);
            Console.WriteLine(table);
        }
        Console.WriteLine($"Files: ledger {Megabytes(database, "")} MB, key index {Megabytes(database, ".audit-keys")} MB (the ledger's size includes the six indexes built for the comparison).\n");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private static List<Search> Searches(int rows) =>
    [
        new("one camera's history", r => Query() with { CameraId = Camera(r) }, r => ("camera_id = @v", [("@v", Camera(r))])),
        new("one session's actions", r => Query() with { SessionId = $"s-{r.Next(2000)}" }, r => ("session_id = @v", [("@v", $"s-{r.Next(2000)}")])),
        new("one incident's actions", r => Query() with { IncidentId = $"i-{r.Next(5000)}" }, r => ("incident_id = @v", [("@v", $"i-{r.Next(5000)}")])),
        new("an agency's refusals", r => Query() with { AgencyId = Agencies[r.Next(Agencies.Length)], Outcome = "deny" },
            r => ("agency_id = @v AND outcome = 'deny'", [("@v", Agencies[r.Next(Agencies.Length)])])),
        new("a privacy officer's district", r => Query() with { Scope = new AuditScope([Districts[r.Next(25)]], [Agencies[r.Next(Agencies.Length)]]) },
            r => ("(district_code IN (@d) OR (district_code IS NULL AND agency_id IN (@a)))",
                [("@d", Districts[r.Next(25)]), ("@a", Agencies[r.Next(Agencies.Length)])])),
        new("a ten-minute window", r =>
        {
            var (from, to) = Window(r, rows);
            return Query() with { From = from, To = to };
        }, r =>
        {
            var (from, to) = Window(r, rows);
            return ("occurred_at >= @f AND occurred_at < @t", [("@f", AuditChain.Timestamp(from)), ("@t", AuditChain.Timestamp(to))]);
        }),
        new("the newest page", _ => Query(), _ => ("1 = 1", [])),
    ];

    private static AuditQuery Query() => new(null, null, null, null, null, null, 1, PageSize);

    private static string Camera(Random random)
    {
        var n = random.Next(68_000);
        return $"{Districts[n % 25]}-{n / 25:D5}";
    }

    private static (DateTimeOffset, DateTimeOffset) Window(Random random, int rows)
    {
        var from = Start.AddMilliseconds(random.Next(rows) * 10.0);
        return (from, from.AddMinutes(10));
    }

    /// <summary>Rows spread like a city's: 68,000 cameras, 2,000 sessions, 5,000 incidents on 30 % of rows, a fifth refused, one every 10 ms.</summary>
    /// <summary>What keeps the key file honest: the whole comparison (start-up, verify) and the running node's stretches.</summary>
    private static async Task TimeComparisonsAsync(AuditKeyIndex index, int rows)
    {
        var whole = Stopwatch.StartNew();
        var named = await index.FindDisagreementsAsync(10);
        Console.WriteLine($"The whole key file compared with the ledger in {whole.Elapsed.TotalSeconds:F2} s ({named.Count} disagreements).");
        var stretchRows = new AuditSearchKeyOptions().ScrubRows;
        var cpu = Environment.CpuUsage.TotalTime;
        var pass = Stopwatch.StartNew();
        var stretches = new List<double>();
        long from = 0;
        do
        {
            var stretch = Stopwatch.GetTimestamp();
            (_, from) = await index.ScrubAsync(from, stretchRows, 10);
            stretches.Add(Stopwatch.GetElapsedTime(stretch).TotalMilliseconds);
        } while (from != 0);
        Console.WriteLine($"One scrub pass in stretches of {stretchRows:N0} rows (the default): {stretches.Count} stretches in {pass.Elapsed.TotalSeconds:F2} s, " +
                          $"each {stretches.Min():F0}–{stretches.Max():F0} ms, {(Environment.CpuUsage.TotalTime - cpu).TotalSeconds:F2} s of CPU.\n");
    }

    private static async Task AppendAsync(AuditWriter writer, int first, int count)
    {
        var random = new Random(first);
        for (var start = first; start < first + count; start += BatchRows)
        {
            var batch = Enumerable.Range(start, Math.Min(BatchRows, first + count - start)).Select(i =>
            {
                var camera = Camera(random);
                return new AuditEntry(Start.AddMilliseconds(i * 10.0), i % 7 == 0 ? AuditKinds.View : AuditKinds.AccessDecision,
                    random.Next(5) == 0 ? "deny" : "allow", CameraId: camera, AgencyId: Agencies[random.Next(Agencies.Length)],
                    SessionId: $"s-{random.Next(2000)}", IncidentId: random.Next(10) < 3 ? $"i-{random.Next(5000)}" : null,
                    DistrictCode: camera[..5], Purpose: "emergency-response");
            }).ToList();
            await writer.AppendBatchAsync(batch, CancellationToken.None);
            await writer.CheckpointWhenDueAsync();
        }
    }

    private static async Task<List<LatencySummary>> TimeAsync(List<Search> searches, Func<Search, Func<Random, Task>> run)
    {
        var summaries = new List<LatencySummary>();
        foreach (var search in searches)
        {
            var random = new Random(11);
            var operation = run(search);
            var ticks = new long[Trials];
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var elapsed = Stopwatch.StartNew();
            for (var i = 0; i < Trials; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(random);
                ticks[i] = Stopwatch.GetTimestamp() - started;
            }
            summaries.Add(LatencySummary.From(1, ticks, elapsed.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu));
        }
        return summaries;
    }

    private static async Task InPlaceAsync(SafetyNetDatabase database, (string Where, (string Name, object Value)[] Values) search)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM audit_ledger WHERE {search.Where} ORDER BY seq DESC LIMIT {PageSize + 1}";
        foreach (var (name, value) in search.Values) command.WithParameter(name, value);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
        }
    }

    private static long Megabytes(SafetyNetDatabase database, string suffix) =>
        new FileInfo(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.ConnectionString).DataSource + suffix).Length / 1_048_576;
}
