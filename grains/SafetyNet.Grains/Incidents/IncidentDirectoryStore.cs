using System.Text.Json;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Incidents;

/// <summary>The incident directory's rows (deploy/sql/*/…_incident_directory.sql): one per incident, one per external reference.</summary>
public sealed class IncidentDirectoryStore(SafetyNetDatabase database)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The incident that holds <paramref name="externalReference"/>: the first to claim it, atomically across nodes.</summary>
    public async Task<string> ClaimReferenceAsync(string externalReference, string newIncidentId)
    {
        await using var connection = await database.OpenAsync();
        await using (var claim = connection.CreateCommand())
        {
            claim.CommandText = "INSERT INTO incident_reference (external_reference, incident_id) VALUES (@reference, @incident) ON CONFLICT (external_reference) DO NOTHING";
            claim.WithParameter("@reference", externalReference).WithParameter("@incident", newIncidentId);
            await claim.ExecuteNonQueryAsync();
        }
        await using var holder = connection.CreateCommand();
        holder.CommandText = "SELECT incident_id FROM incident_reference WHERE external_reference = @reference";
        holder.WithParameter("@reference", externalReference);
        return (string)(await holder.ExecuteScalarAsync() ?? throw new InvalidOperationException($"The claim on '{externalReference}' was not recorded."));
    }

    public async Task UpsertAsync(IncidentSummary summary)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO incident_directory (incident_id, status, opened_at_ms, summary) VALUES (@id, @status, @opened, @summary)
            ON CONFLICT (incident_id) DO UPDATE SET status = excluded.status, summary = excluded.summary;
            """;
        command.WithParameter("@id", summary.Id)
            .WithParameter("@status", EnumNames<IncidentStatus>.NameOf(summary.Status))
            .WithParameter("@opened", summary.OpenedAt.ToUnixTimeMilliseconds())
            .WithParameter("@summary", JsonSerializer.Serialize(summary, Json));
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Every incident not closed, and those closed that were opened since <paramref name="closedOpenedSince"/>.</summary>
    public async Task<List<IncidentSummary>> LoadCurrentAsync(DateTimeOffset closedOpenedSince)
    {
        await using var connection = await database.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT summary FROM incident_directory WHERE status <> @closed OR opened_at_ms >= @since";
        command.WithParameter("@closed", EnumNames<IncidentStatus>.NameOf(IncidentStatus.Closed))
            .WithParameter("@since", closedOpenedSince.ToUnixTimeMilliseconds());
        var summaries = new List<IncidentSummary>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            summaries.Add(JsonSerializer.Deserialize<IncidentSummary>(reader.GetString(0), Json)!);
        return summaries;
    }
}
