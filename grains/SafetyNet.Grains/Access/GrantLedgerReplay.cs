using System.Text.Json;
using SafetyNet.Contracts.Audit;

namespace SafetyNet.Grains.Access;

/// <summary>
/// A grant registry's rows are sealed as its own but not proven the newest: a row put back from an older copy (a backup, a
/// replayed row) could bring back a grant since shortened or ended, when its incident closed or moved away. Every issue and
/// every end of a grant is in the ledger, chained and signed, with the cameras it names: replayed in order, the ledger's
/// rows say until when the grant holds on each camera. A stored grant holding on a camera longer than that was put back,
/// and is brought forward to the ledger's end. Cameras the ledger does not name are left as stored: this check only ever
/// shortens.
/// </summary>
public static class GrantLedgerReplay
{
    /// <summary>
    /// Until when the ledger says <paramref name="grantId"/> holds on each camera it names: an issue sets the grant's
    /// expiry on its cameras (issuing again extends it), an end brings it forward to when it took effect.
    /// </summary>
    public static Dictionary<string, DateTimeOffset> EndsPerCamera(IEnumerable<AuditRecord> rows, string grantId)
    {
        var ends = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var row in rows.OrderBy(r => r.Seq))
        {
            if (row.Entry.Details is not { } details) continue;
            using var document = JsonDocument.Parse(details);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !Names(root, "GrantId", grantId) || !root.TryGetProperty("cameras", out var cameras)
                || cameras.ValueKind != JsonValueKind.Array) continue;
            if (row.Entry.Kind == AuditKinds.Grant && Time(root, "ExpiresAt") is { } expiresAt)
                foreach (var camera in Strings(cameras)) ends[camera] = expiresAt;
            else if (row.Entry.Kind == AuditKinds.Revocation)
            {
                var end = Time(root, "effectiveAt") ?? row.Entry.OccurredAt;
                foreach (var camera in Strings(cameras))
                    ends[camera] = ends.TryGetValue(camera, out var held) && held < end ? held : end;
            }
        }
        return ends;
    }

    /// <summary>The cameras on which the stored grant holds later than the ledger says, with the ledger's end for each.</summary>
    public static Dictionary<string, DateTimeOffset> LaterThanLedger(CoveredGrant stored, IReadOnlyDictionary<string, DateTimeOffset> ledger) =>
        stored.Until.Where(u => ledger.TryGetValue(u.Key, out var end) && u.Value > end)
            .ToDictionary(u => u.Key, u => ledger[u.Key], StringComparer.Ordinal);

    private static bool Names(JsonElement root, string property, string value) =>
        root.TryGetProperty(property, out var named) && named.ValueKind == JsonValueKind.String && named.GetString() == value;

    private static DateTimeOffset? Time(JsonElement root, string property) =>
        root.TryGetProperty(property, out var time) && time.ValueKind == JsonValueKind.String && time.TryGetDateTimeOffset(out var at) ? at : null;

    private static IEnumerable<string> Strings(JsonElement array) =>
        array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!);
}
