namespace SafetyNet.Contracts.Context;

public static class ContextLayers
{
    public const string Parking = "parking";
    public const string Hazmat = "hazmat";
    public const string Hydrants = "hydrants";
    public const string Shelters = "shelters";

    public static readonly IReadOnlyList<string> Known = [Parking, Hazmat, Hydrants, Shelters];

    /// <summary>What 119 and disaster incidents carry: the nearest hydrants, can the trucks get through, and what is stored next door.</summary>
    public static readonly IReadOnlyList<string> ForResponders = [Hydrants, Parking, Hazmat];

    /// <summary>How many of a layer's nearest features an incident's context lists: a crew connects to one of the closest few hydrants.</summary>
    public static int NearestForIncident(string layer) => layer == Hydrants ? 5 : 20;
}
