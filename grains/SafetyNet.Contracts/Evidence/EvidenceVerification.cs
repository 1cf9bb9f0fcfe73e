namespace SafetyNet.Contracts.Evidence;

/// <summary>One check of a verification and whether it held.</summary>
public sealed record EvidenceCheck(string Check, bool Passed, string? Detail = null);

/// <summary>Valid only when every check passed; <see cref="Failure"/> names the first that did not.</summary>
public sealed record EvidenceVerification(bool Valid, string? ExportId, string? KeyId, string? Failure, IReadOnlyList<EvidenceCheck> Checks);

/// <summary>What the API needs of a stored export to decide who may read it, and its manifest as stored.</summary>
public sealed record EvidenceRecord(string ExportId, string CameraId, string DistrictCode, string ExporterAgencyId, string? IncidentId, string ManifestJson,
    IReadOnlyList<string> FileNames);

public sealed record EvidencePublicKey(string KeyId, string Pem);
