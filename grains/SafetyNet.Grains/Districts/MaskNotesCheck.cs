using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Cameras;

namespace SafetyNet.Grains.Districts;

/// <summary>
/// A district's catalog notes which of its cameras are masked, and with which masks (<see cref="CameraInfo.MasksDigest"/>),
/// so that a camera record put back from an older copy is caught. Put back together with the camera's records, from the
/// same backup, the notes agree with them. Every mask edit is in the ledger, chained and signed, with its polygons, and is
/// written before the district notes it: a camera the ledger's newest edit leaves masked, whose note says unmasked or other
/// masks, has a note older than the ledger. The note is set as the ledger says; the camera's own check then withholds a
/// record that holds other masks. This check only ever adds masks to the notes. A camera noted as masked before fingerprints
/// were kept gets the ledger's, without an alarm.
/// </summary>
public static class MaskNotesCheck
{
    public const string Reason = "masks-note-older-than-ledger";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The fingerprint of the masks each camera's newest mask edit left (null: cleared); rows it cannot read are passed over.</summary>
    public static Dictionary<string, string?> NewestPerCamera(IEnumerable<AuditRecord> rows)
    {
        var newest = new Dictionary<string, (long Seq, string? Digest)>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (row.Entry is not { CameraId: { } camera, Details: { } details } || newest.TryGetValue(camera, out var known) && known.Seq > row.Seq) continue;
            if (Polygons(details) is { } polygons) newest[camera] = (row.Seq, polygons.Length == 0 ? null : MasksDigest.Of(polygons));
        }
        return newest.ToDictionary(n => n.Key, n => n.Value.Digest, StringComparer.Ordinal);
    }

    /// <summary>Cameras of the catalog the ledger leaves masked whose note says unmasked or other masks, with the ledger's fingerprint.</summary>
    public static List<(string CameraId, string Digest)> OlderThanLedger(IReadOnlyDictionary<string, CameraInfo> catalog, IReadOnlyDictionary<string, string?> ledger) =>
        Noted(catalog, ledger, noted => !noted.Masked || noted.MasksDigest is not null);

    /// <summary>
    /// Cameras noted as masked before fingerprints were kept, with the fingerprint of the ledger's newest edit: not a record
    /// put back, so noting it raises no alarm.
    /// </summary>
    public static List<(string CameraId, string Digest)> WithoutFingerprint(IReadOnlyDictionary<string, CameraInfo> catalog, IReadOnlyDictionary<string, string?> ledger) =>
        Noted(catalog, ledger, noted => noted is { Masked: true, MasksDigest: null });

    private static List<(string CameraId, string Digest)> Noted(IReadOnlyDictionary<string, CameraInfo> catalog, IReadOnlyDictionary<string, string?> ledger,
        Func<CameraInfo, bool> which) =>
        [.. ledger.Where(l => l.Value is not null && catalog.TryGetValue(l.Key, out var noted) && noted.MasksDigest != l.Value && which(noted))
            .Select(l => (l.Key, l.Value!))
            .OrderBy(l => l.Key, StringComparer.Ordinal)];

    private static MaskPolygon[]? Polygons(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("polygons", out var polygons)
                ? polygons.Deserialize<MaskPolygon[]>(Json)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
