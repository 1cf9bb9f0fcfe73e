namespace SafetyNet.Contracts.Districts;

/// <summary>Seoul's 25 KOSTAT district codes, 11010 to 11250 in steps of 10.</summary>
public static class DistrictCodes
{
    public static IReadOnlyList<string> All { get; } = Enumerable.Range(1, 25).Select(i => $"11{i:D2}0").ToArray();

    public static bool IsKnown(string code) => All.Contains(code);
}
