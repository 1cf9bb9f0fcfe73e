using System.Text.Json;

namespace SafetyNet.Contracts.Audit;

/// <summary>
/// The single ledger row of a request that only previews access (nearby cameras, the access overview): it judges many
/// cameras but opens none, so it records who asked what and how many were judged and allowed, not one row per camera.
/// </summary>
public static class AccessPreviewSummary
{
    private const int MaxQueryLength = 512;

    /// <param name="refusal">The session's refusal reason when no camera could be judged as allowed (e.g. session-required).</param>
    public static AuditEntry Create(DateTimeOffset now, string query, string agencyId, string actor, string? sessionId, string? incidentId,
        int judged, int allowed, string? refusal = null) =>
        new(now, AuditKinds.AccessPreview, allowed > 0 ? "allow" : "deny", refusal, null, agencyId, sessionId, incidentId, actor,
            JsonSerializer.Serialize(new { query = query.Length > MaxQueryLength ? query[..MaxQueryLength] : query, judged, allowed }));
}
