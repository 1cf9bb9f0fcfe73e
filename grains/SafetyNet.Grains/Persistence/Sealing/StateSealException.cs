namespace SafetyNet.Grains.Persistence.Sealing;

/// <summary>A stored record that the node will not believe: not sealed, sealed with an unknown key, altered or moved.</summary>
public sealed class StateSealException(string context, string why)
    : Exception($"The stored record of {context} was refused: {why}. Restore it from a backup; the node will not act on it.")
{
    public string Context { get; } = context;
}
