using System.Data.Common;
using System.Text.Json;
using SafetyNet.Contracts;
using SafetyNet.Contracts.Incidents;
using SafetyNet.Grains.Persistence;

namespace SafetyNet.Grains.Incidents;

/// <summary>
/// The incident directory's rows (deploy/sql/*/…_incident_directory.sql, …_incident_agency_reference.sql, …_incident_closed_at.sql):
/// one per incident, one per agency's external reference, and one per closing time.
/// </summary>
public sealed class IncidentDirectoryStore(SafetyNetDatabase database, DatabaseOutageGuard guard)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string WithClosingTime = "LEFT JOIN incident_closed_at c ON c.incident_id = d.incident_id";

    /// <summary>Not closed, or closed since @since (an incident closed before closing times were kept goes by its opening).</summary>
    private const string IsCurrent = "(d.status <> @closed OR COALESCE(c.closed_at_ms, d.opened_at_ms) >= @since)";

    /// <summary>The incident <paramref name="agencyId"/> holds under its own <paramref name="externalReference"/>: the first to claim it, atomically across nodes.</summary>
    public Task<string> ClaimReferenceAsync(string agencyId, string externalReference, string newIncidentId) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var claim = connection.CreateCommand())
        {
            claim.CommandText = """
                INSERT INTO incident_agency_reference (agency_id, external_reference, incident_id) VALUES (@agency, @reference, @incident)
                ON CONFLICT (agency_id, external_reference) DO NOTHING
                """;
            claim.WithParameter("@agency", agencyId).WithParameter("@reference", externalReference).WithParameter("@incident", newIncidentId);
            await claim.ExecuteNonQueryAsync(cancellationToken);
        }
        return await HolderAsync(connection, agencyId, externalReference, cancellationToken)
            ?? throw new InvalidOperationException($"The claim of {agencyId} on '{externalReference}' was not recorded.");
    });

    /// <summary>The incident <paramref name="agencyId"/> holds under <paramref name="externalReference"/>, or null.</summary>
    public Task<string?> FindReferenceAsync(string agencyId, string externalReference) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await HolderAsync(connection, agencyId, externalReference, cancellationToken);
    });

    private static async Task<string?> HolderAsync(DbConnection connection, string agencyId, string externalReference, CancellationToken cancellationToken)
    {
        await using var holder = connection.CreateCommand();
        holder.CommandText = "SELECT incident_id FROM incident_agency_reference WHERE agency_id = @agency AND external_reference = @reference";
        holder.WithParameter("@agency", agencyId).WithParameter("@reference", externalReference);
        return (string?)await holder.ExecuteScalarAsync(cancellationToken);
    }

    /// <summary>
    /// References claimed before they were scoped to agencies (reference → incident), for incidents not closed or closed
    /// since <paramref name="closedSince"/>: the only ones a dispatch system could still be repeating.
    /// </summary>
    public Task<Dictionary<string, string>> LoadUnscopedReferencesAsync(DateTimeOffset closedSince) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT r.external_reference, r.incident_id FROM incident_reference r JOIN incident_directory d ON d.incident_id = r.incident_id
            {WithClosingTime} WHERE {IsCurrent}
            """;
        command.WithParameter("@closed", EnumNames<IncidentStatus>.NameOf(IncidentStatus.Closed))
            .WithParameter("@since", closedSince.ToUnixTimeMilliseconds());
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) references[reader.GetString(0)] = reader.GetString(1);
        return references;
    });

    /// <summary>Keeps an unscoped reference from the directory's oldest (grain-state) form where the other unscoped ones are.</summary>
    public Task RecordUnscopedReferenceAsync(string externalReference, string incidentId) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO incident_reference (external_reference, incident_id) VALUES (@reference, @incident) ON CONFLICT (external_reference) DO NOTHING";
        command.WithParameter("@reference", externalReference).WithParameter("@incident", incidentId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    });

    /// <summary>One statement for all the summaries (distinct incidents), and one for the closing times among them.</summary>
    public Task UpsertAllAsync(IReadOnlyList<IncidentSummary> summaries) => guard.Run(async cancellationToken =>
    {
        if (summaries.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var rows = new List<string>(summaries.Count);
        var closings = new List<string>();
        for (var i = 0; i < summaries.Count; i++)
        {
            var summary = summaries[i];
            rows.Add($"(@id{i}, @status{i}, @opened{i}, @summary{i})");
            command.WithParameter($"@id{i}", summary.Id)
                .WithParameter($"@status{i}", EnumNames<IncidentStatus>.NameOf(summary.Status))
                .WithParameter($"@opened{i}", summary.OpenedAt.ToUnixTimeMilliseconds())
                .WithParameter($"@summary{i}", JsonSerializer.Serialize(summary, Json));
            if (summary.ClosedAt is not { } closedAt) continue;
            closings.Add($"(@id{i}, @closedAt{i})");
            command.WithParameter($"@closedAt{i}", closedAt.ToUnixTimeMilliseconds());
        }
        command.CommandText = $"""
            INSERT INTO incident_directory (incident_id, status, opened_at_ms, summary) VALUES {string.Join(", ", rows)}
            ON CONFLICT (incident_id) DO UPDATE SET status = excluded.status, summary = excluded.summary;
            """;
        if (closings.Count > 0)
            command.CommandText += $"""

                INSERT INTO incident_closed_at (incident_id, closed_at_ms) VALUES {string.Join(", ", closings)}
                ON CONFLICT (incident_id) DO UPDATE SET closed_at_ms = excluded.closed_at_ms;
                """;
        await command.ExecuteNonQueryAsync(cancellationToken);
    });

    /// <summary>Every incident not closed, and those closed since <paramref name="closedSince"/>, however long ago they opened.</summary>
    public Task<List<IncidentSummary>> LoadCurrentAsync(DateTimeOffset closedSince) => guard.Run(async cancellationToken =>
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT d.summary FROM incident_directory d {WithClosingTime} WHERE {IsCurrent}";
        command.WithParameter("@closed", EnumNames<IncidentStatus>.NameOf(IncidentStatus.Closed))
            .WithParameter("@since", closedSince.ToUnixTimeMilliseconds());
        var summaries = new List<IncidentSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            summaries.Add(JsonSerializer.Deserialize<IncidentSummary>(reader.GetString(0), Json)!);
        return summaries;
    });
}
