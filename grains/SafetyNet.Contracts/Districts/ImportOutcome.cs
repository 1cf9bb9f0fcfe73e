namespace SafetyNet.Contracts.Districts;

[GenerateSerializer, Immutable, Alias("import-outcome")]
public sealed record ImportOutcome([property: Id(0)] int Created, [property: Id(1)] int Updated);
