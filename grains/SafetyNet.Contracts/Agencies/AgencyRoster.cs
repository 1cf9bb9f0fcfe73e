namespace SafetyNet.Contracts.Agencies;

/// <summary>Every registered agency, ordered by id, at one version of the agency directory (each registration or change adds one).</summary>
[GenerateSerializer, Immutable, Alias("agency-roster")]
public sealed record AgencyRoster([property: Id(0)] long Version, [property: Id(1)] AgencyInfo[] Agencies);
