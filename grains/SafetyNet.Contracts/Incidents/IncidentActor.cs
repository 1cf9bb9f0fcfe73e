namespace SafetyNet.Contracts.Incidents;

/// <summary>Who acts on an incident, as the API authenticated them: a dispatch system, or a person (operator or supervisor).</summary>
[GenerateSerializer, Immutable, Alias("incident-actor")]
public sealed record IncidentActor(
    [property: Id(0)] string AgencyId,
    [property: Id(1)] string OperatorId,
    [property: Id(2)] IncidentActorRole Role)
{
    public string Actor => $"{AgencyId}/{OperatorId}";

    /// <summary>A person opening an incident must say why, and a supervisor must confirm it.</summary>
    public bool IsPerson => Role != IncidentActorRole.DispatchSystem;
}

public enum IncidentActorRole
{
    DispatchSystem,
    Operator,
    Supervisor,
}
