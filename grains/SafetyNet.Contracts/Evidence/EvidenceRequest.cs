namespace SafetyNet.Contracts.Evidence;

/// <summary>What to export and why; the camera, purpose and incident travel in the access request beside it.</summary>
[GenerateSerializer, Immutable, Alias("evidence-request")]
public sealed record EvidenceRequest(
    [property: Id(0)] EvidenceKind Kind,
    [property: Id(1)] int Seconds,
    [property: Id(2)] string Justification);
