using System.Security.Cryptography;
using SafetyNet.Contracts.Evidence;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Evidence;

/// <summary>
/// Confirms an export is unaltered: the manifest is canonical and signed by a trusted key, and every file it lists is there
/// with its hash and size, and nothing else is. Used by the API, the offline command and the tests alike.
/// </summary>
public static class EvidenceVerifier
{
    public static EvidenceVerification Verify(IReadOnlyDictionary<string, byte[]> bundle, IEnumerable<CheckpointPublicKey> trusted)
    {
        var checks = new List<EvidenceCheck>();
        if (!bundle.TryGetValue(EvidenceManifest.FileName, out var manifestBytes))
            return Done(checks, new EvidenceCheck("manifest", false, $"the bundle has no {EvidenceManifest.FileName}"), null);
        var manifest = EvidenceManifest.Parse(manifestBytes, out var problem);
        if (manifest is null) return Done(checks, new EvidenceCheck("manifest", false, problem), null);
        checks.Add(new EvidenceCheck("manifest", true));

        if (!bundle.TryGetValue(EvidenceManifest.SignatureFileName, out var signature))
            return Done(checks, new EvidenceCheck("signature", false, $"the bundle has no {EvidenceManifest.SignatureFileName}"), manifest);
        var key = trusted.FirstOrDefault(k => k.KeyId == manifest.KeyId);
        if (key is null)
            return Done(checks, new EvidenceCheck("signature", false, $"the manifest names key {manifest.KeyId}, which is not among the trusted evidence keys"), manifest);
        if (!key.Key.VerifyData(manifestBytes, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence))
            return Done(checks, new EvidenceCheck("signature", false, $"the signature does not match the manifest under key {key.KeyId}"), manifest);
        checks.Add(new EvidenceCheck("signature", true, key.KeyId));

        foreach (var file in manifest.Files)
        {
            var check = $"file:{file.Name}";
            if (!bundle.TryGetValue(file.Name, out var bytes)) return Done(checks, new EvidenceCheck(check, false, "missing from the bundle"), manifest);
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (sha != file.Sha256 || bytes.LongLength != file.Bytes)
                return Done(checks, new EvidenceCheck(check, false, $"SHA-256 {sha} ({bytes.LongLength} bytes) differs from the manifest's {file.Sha256} ({file.Bytes} bytes)"), manifest);
            checks.Add(new EvidenceCheck(check, true, sha));
        }
        var listed = manifest.Files.Select(f => f.Name).Append(EvidenceManifest.FileName).Append(EvidenceManifest.SignatureFileName).ToHashSet();
        var extra = bundle.Keys.Where(name => !listed.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0) return Done(checks, new EvidenceCheck("contents", false, $"files the manifest does not list: {string.Join(", ", extra)}"), manifest);
        checks.Add(new EvidenceCheck("contents", true));
        return new EvidenceVerification(true, manifest.ExportId, manifest.KeyId, null, checks);
    }

    private static EvidenceVerification Done(List<EvidenceCheck> checks, EvidenceCheck failed, EvidenceManifest? manifest)
    {
        checks.Add(failed);
        return new EvidenceVerification(false, manifest?.ExportId, manifest?.KeyId, $"{failed.Check}: {failed.Detail}", checks);
    }
}
