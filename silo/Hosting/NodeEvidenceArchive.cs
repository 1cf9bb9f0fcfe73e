using Microsoft.Extensions.Options;
using SafetyNet.Api.Evidence;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Grains.Evidence;

namespace SafetyNet.Silo.Hosting;

/// <summary>The evidence endpoints' view of this node's export store and keys.</summary>
public sealed class NodeEvidenceArchive(EvidenceStore store, EvidenceKeys keys, IOptions<EvidenceOptions> options) : IEvidenceArchive
{
    public int MaxClipSeconds => options.Value.MaxClipSeconds;

    public IReadOnlyList<EvidencePublicKey> PublicKeys => [.. keys.Trusted.Select(k => new EvidencePublicKey(k.KeyId, k.Pem))];

    public EvidenceRecord? Find(string exportId)
    {
        if (store.FileOf(exportId, EvidenceManifest.FileName) is not { } path) return null;
        var bytes = File.ReadAllBytes(path);
        if (EvidenceManifest.Parse(bytes, out _) is not { } manifest) return null;
        return new EvidenceRecord(manifest.ExportId, manifest.CameraId, manifest.DistrictCode, manifest.Exporter.AgencyId, manifest.IncidentId,
            System.Text.Encoding.UTF8.GetString(bytes), [.. manifest.Files.Select(f => f.Name)]);
    }

    public string? FilePath(string exportId, string fileName) => store.FileOf(exportId, fileName);

    public byte[]? Zip(string exportId) => store.FolderOf(exportId) is { } folder ? EvidenceBundle.ToZip(folder) : null;

    public EvidenceVerification Verify(Stream zip) => EvidenceVerifier.Verify(EvidenceBundle.FromZip(zip), keys.Trusted);
}
