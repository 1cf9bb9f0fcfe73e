using SafetyNet.Contracts.Incidents;

namespace SafetyNet.Grains.Incidents;

public sealed partial class IncidentState
{
    /// <summary>An SOS incident's reported positions after the opening one, oldest first.</summary>
    [Id(40)] public List<TrailPoint> Trail { get; set; } = [];
}
