namespace SafetyNet.Contracts.Misuse;

/// <summary>Which flags to list, newest first. <see cref="DistrictCodes"/> null means every district (a city-wide auditor).</summary>
[GenerateSerializer, Immutable, Alias("flag-query")]
public sealed record FlagQuery(
    [property: Id(0)] IReadOnlyList<string>? DistrictCodes,
    [property: Id(1)] FlagStatus? Status = null,
    [property: Id(2)] string? Rule = null,
    [property: Id(3)] DateTimeOffset? From = null,
    [property: Id(4)] DateTimeOffset? To = null,
    [property: Id(5)] int Limit = 200);
