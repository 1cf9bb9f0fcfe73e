using SafetyNet.Contracts.Evidence;

namespace SafetyNet.Api.Evidence;

/// <summary>The evidence exports in Evidence:Directory and this node's evidence keys, as the endpoints need them; implemented by the node.</summary>
public interface IEvidenceArchive
{
    int MaxClipSeconds { get; }

    /// <summary>This node's public evidence key first, then the other nodes' it trusts.</summary>
    IReadOnlyList<EvidencePublicKey> PublicKeys { get; }

    EvidenceRecord? Find(string exportId);

    /// <summary>The path of one file of the export (manifest.json, manifest.sig, clip.mp4, snapshot.jpg), or null.</summary>
    string? FilePath(string exportId, string fileName);

    byte[]? Zip(string exportId);

    /// <exception cref="InvalidDataException">The upload is not a flat zip bundle within the size limit.</exception>
    EvidenceVerification Verify(Stream zip);
}
