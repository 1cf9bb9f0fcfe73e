namespace SafetyNet.Contracts.Media;

/// <summary>
/// The answer to a rewind: <see cref="Refusal"/> (a decision reason) when refused; the window the relay keeps, by wall-clock
/// time, whenever it is known, so a player can seek to the time asked for by its program date times.
/// </summary>
[GenerateSerializer, Immutable, Alias("rewind-outcome")]
public sealed record RewindOutcome(
    [property: Id(0)] string? Refusal,
    [property: Id(1)] DateTimeOffset? WindowStart,
    [property: Id(2)] DateTimeOffset? WindowEnd,
    [property: Id(3)] StreamLease Lease);
