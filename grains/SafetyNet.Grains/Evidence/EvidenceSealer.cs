using System.Security.Cryptography;
using System.Text.Json;
using SafetyNet.Contracts.Audit;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Evidence;

/// <summary>
/// Finishes an export whose media lies in its build folder: hashes each file into the manifest, signs the manifest with
/// this node's evidence key, writes the export to the ledger, and only then makes it visible, so no export exists unaudited.
/// </summary>
public sealed class EvidenceSealer(EvidenceStore store, EvidenceKeys keys, IAuditLedger audit, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string BeginBuild(string exportId) => store.BeginBuild(exportId);

    /// <param name="draft">The manifest without its files and key id, which are filled in here.</param>
    public async Task<EvidenceReceipt> SealAsync(string buildFolder, EvidenceManifest draft, string? sessionId)
    {
        var files = Directory.EnumerateFiles(buildFolder).Order(StringComparer.Ordinal).Select(path =>
        {
            using var stream = File.OpenRead(path);
            return new EvidenceFile(Convert.ToHexStringLower(SHA256.HashData(stream)), Path.GetFileName(path), stream.Length);
        }).ToArray();
        var manifest = draft with { KeyId = keys.PublicKey.KeyId, Files = files };
        var bytes = manifest.ToCanonicalJson();
        await File.WriteAllBytesAsync(Path.Combine(buildFolder, EvidenceManifest.FileName), bytes);
        await File.WriteAllBytesAsync(Path.Combine(buildFolder, EvidenceManifest.SignatureFileName), keys.Sign(bytes));
        await audit.AppendAsync(new AuditEntry(clock.GetUtcNow(), AuditKinds.EvidenceExport, "allow", manifest.Kind, manifest.CameraId,
            manifest.Exporter.AgencyId, sessionId, manifest.IncidentId, $"{manifest.Exporter.AgencyId}/{manifest.Exporter.OperatorId}",
            JsonSerializer.Serialize(new
            {
                manifest.ExportId, manifest.Kind, manifestSha256 = manifest.Sha256(), manifest.KeyId, manifest.From, manifest.To, manifest.MasksApplied,
                files = files.Select(f => new { f.Name, f.Sha256 }),
            }, Json),
            manifest.DistrictCode, manifest.Purpose, manifest.Justification));
        store.Publish(buildFolder, manifest.ExportId);
        return new EvidenceReceipt(manifest.ExportId, System.Text.Encoding.UTF8.GetString(bytes));
    }
}
