using SafetyNet.Contracts.Access;

namespace SafetyNet.Contracts.Evidence;

/// <summary>A finished export: its id and its signed manifest, exactly as stored (UTF-8 JSON).</summary>
[GenerateSerializer, Immutable, Alias("evidence-receipt")]
public sealed record EvidenceReceipt([property: Id(0)] string ExportId, [property: Id(1)] string ManifestJson);

/// <summary>The answer to an export request: the refusal's reason, or the receipt.</summary>
[GenerateSerializer, Immutable, Alias("evidence-outcome")]
public sealed record EvidenceOutcome([property: Id(0)] AccessDecision Decision, [property: Id(1)] EvidenceReceipt? Receipt);
