namespace SafetyNet.Contracts;

/// <summary>The values a coded reason's message names, by name, for a client to word the reason in its own language.</summary>
public static class ReasonValues
{
    public static IReadOnlyDictionary<string, string> Values(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);
}
