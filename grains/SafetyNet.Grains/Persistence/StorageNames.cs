namespace SafetyNet.Grains.Persistence;

public static class StorageNames
{
    /// <summary>The grain storage every SafetyNet grain persists to.</summary>
    public const string Default = "safetynet";

    /// <summary>Orleans streaming requires a storage by exactly this name for its pub-sub registry.</summary>
    public const string PubSub = "PubSubStore";
}
