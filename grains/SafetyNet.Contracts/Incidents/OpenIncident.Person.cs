namespace SafetyNet.Contracts.Incidents;

public sealed partial record OpenIncident
{
    /// <summary>Only for vulnerable-sos incidents: who called.</summary>
    [Id(20)]
    public PersonCategory? PersonCategory { get; init; }
}
