namespace SafetyNet.Contracts.Incidents;

[GenerateSerializer, Immutable, Alias("timeline-entry")]
public sealed record TimelineEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Text,
    [property: Id(3)] string Actor);
