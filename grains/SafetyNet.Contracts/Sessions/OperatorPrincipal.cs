namespace SafetyNet.Contracts.Sessions;

/// <summary>The authenticated caller, built by the API from the validated token and passed to grains explicitly.</summary>
[GenerateSerializer, Immutable, Alias("operator-principal")]
public sealed record OperatorPrincipal(
    [property: Id(0)] string OperatorId,
    [property: Id(1)] string AgencyId,
    [property: Id(2)] string Role,
    [property: Id(3)] string? SessionId = null)
{
    public string Actor => $"{AgencyId}/{OperatorId}";

    public bool IsSupervisor => Role == "supervisor";
}
