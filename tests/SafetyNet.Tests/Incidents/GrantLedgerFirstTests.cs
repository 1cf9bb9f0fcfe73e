using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using SafetyNet.Grains.Access;
using SafetyNet.Grains.Persistence;
using SafetyNet.Tests.Infrastructure;

namespace SafetyNet.Tests.Incidents;

/// <summary>
/// A grant is written to the ledger before it is put in force: when the ledger cannot take an opening's grant rows (here a
/// trigger an insider put on the table refuses every insert), the opening fails and no grant is left in force for cameras
/// to honour without a trace in the ledger. And an opening that fails after its grants are in force, before the incident
/// itself is recorded, withdraws them: no incident would ever close them. Nor is an incident recorded without the
/// watchdog reminder that closes it.
/// </summary>
public sealed class GrantLedgerFirstTests : IAsyncLifetime
{
    private static readonly object Opening = new { type = "112-dispatch", latitude = 37.5637, longitude = 126.9975, radiusMeters = 1500 };
    private TestNode _node = null!;

    // A short watchdog period, so that the reminder a failed opening registered is seen to fire and go.
    public async Task InitializeAsync() => _node = await TestNode.StartAsync(cameras: 2000,
        extra: new Dictionary<string, string?> { ["Incidents:WatchdogPeriod"] = "00:00:05" });

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _node.DeleteData();
    }

    [Fact]
    public async Task An_opening_whose_grant_rows_the_ledger_refuses_leaves_no_grant_in_force()
    {
        var cad = await _node.TokenAsync("seoul-112", "cad-ledger-down", "dispatch-system");
        await OpeningFailsWhileAsync(cad, "refuse_every_row",
            "BEFORE INSERT ON audit_ledger BEGIN SELECT RAISE(ABORT, 'the ledger refuses'); END");
        Assert.Equal(0L, await GrantsInForceAsync());

        // The ledger back, the same opening succeeds and its grants are in force.
        var incident = await _node.OpenIncidentAsync(cad, Opening);
        Assert.True(await GrantsInForceAsync() > 0);
        Assert.NotEmpty(await _node.AuditAsync(incident.GetProperty("id").GetString()!, "grant"));
    }

    [Fact]
    public async Task An_opening_whose_incident_row_cannot_be_written_withdraws_the_grants_it_put_in_force()
    {
        var cad = await _node.TokenAsync("seoul-112", "cad-storage-down", "dispatch-system");
        // The incident's own row is the write that fails (a full disk or a locked file would do the same); the ledger and the
        // grant registries still take theirs.
        await OpeningFailsWhileAsync(cad, "refuse_incident_rows",
            "BEFORE INSERT ON OrleansStorage WHEN NEW.GrainTypeString LIKE 'incident%' BEGIN SELECT RAISE(ABORT, 'no room for the incident'); END");

        Assert.Equal(0L, await GrantsInForceAsync());
        // Each registry remembers the withdrawal, so an issue still on its way (timed out at the incident) cannot land after it.
        Assert.Contains(await GrantRowsAsync(), row => row.Withdrawn);
        // The ledger tells the whole story: the grants were made, then withdrawn, every one.
        var granted = await ScalarAsync("SELECT COUNT(DISTINCT json_extract(details, '$.GrantId')) FROM audit_ledger WHERE kind = 'grant'");
        var withdrawn = await ScalarAsync("SELECT COUNT(DISTINCT json_extract(details, '$.GrantId')) FROM audit_ledger WHERE kind = 'revocation' " +
                                          "AND reason = 'opening failed before the incident was recorded'");
        Assert.True(granted > 0);
        Assert.Equal(granted, withdrawn);
        // Its watchdog was registered beside the grants; when it fires it finds no incident and unregisters.
        Assert.Equal(1L, await WatchdogsAsync());
        await Eventually.WaitAsync(WatchdogsAsync, left => left == 0, TimeSpan.FromSeconds(30), "the failed opening's watchdog to unregister itself");

        // Storage back, the same opening succeeds and its grants are in force.
        var incident = await _node.OpenIncidentAsync(cad, Opening);
        Assert.True(await GrantsInForceAsync() > 0);
        Assert.Empty(await _node.AuditAsync(incident.GetProperty("id").GetString()!, "revocation"));
    }

    [Fact]
    public async Task An_opening_whose_watchdog_cannot_be_registered_is_not_recorded_and_withdraws_its_grants()
    {
        var cad = await _node.TokenAsync("seoul-112", "cad-reminders-down", "dispatch-system");
        // Recorded without its reminder, an incident would be closed by nothing but a later call to it.
        await OpeningFailsWhileAsync(cad, "refuse_watchdogs",
            "BEFORE INSERT ON OrleansRemindersTable WHEN NEW.ReminderName = 'incident-watchdog' BEGIN SELECT RAISE(ABORT, 'no reminders'); END");

        Assert.Equal(0L, await GrantsInForceAsync());
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'incident'"));

        // Reminders back, the same opening is recorded with its watchdog.
        await _node.OpenIncidentAsync(cad, Opening);
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM OrleansStorage WHERE GrainTypeString = 'incident'"));
        Assert.Equal(1L, await WatchdogsAsync());
    }

    /// <summary>Opens <see cref="Opening"/> while an insider's trigger <paramref name="trigger"/> refuses a write: a 5xx answer.</summary>
    private async Task OpeningFailsWhileAsync(string token, string trigger, string definition)
    {
        await ExecuteAsync($"CREATE TRIGGER {trigger} {definition}");
        try
        {
            using var response = await _node.SendAsync(HttpMethod.Post, "/api/v1/incidents", token, JsonContent.Create(Opening));
            Assert.True((int)response.StatusCode >= 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        finally
        {
            await ExecuteAsync($"DROP TRIGGER {trigger}");
        }
    }

    private Task<long> WatchdogsAsync() => ScalarAsync("SELECT COUNT(*) FROM OrleansRemindersTable WHERE ReminderName = 'incident-watchdog'");

    /// <summary>Registry rows of grants that hold on cameras: every row but a withdrawal's, which holds on none.</summary>
    private async Task<long> GrantsInForceAsync() => (await GrantRowsAsync()).Count(row => !row.Withdrawn);

    private async Task<List<CoveredGrant>> GrantRowsAsync() =>
        (await NodeGrantRows.ReadAsync(_node)).Select(row => row.Grant).ToList();

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await SafetyNetDatabase.ExecuteAsync(connection, sql);
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The node's database file, opened as an insider would, beside the node's own connections.</summary>
    private async Task<SqliteConnection> OpenDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_node.DataDirectory, "safetynet.db")};Pooling=False;Default Timeout=30");
        await connection.OpenAsync();
        return connection;
    }
}
