namespace SafetyNet.Grains.Persistence;

public static class StorageNames
{
    /// <summary>The grain storage every SafetyNet grain persists to.</summary>
    public const string Default = "safetynet";

    /// <summary>Orleans streaming requires a storage by exactly this name for its pub-sub registry.</summary>
    public const string PubSub = "PubSubStore";

    /// <summary>
    /// The same storage for context-layer tiles, except that a record cleared is deleted (every import writes the tiles it
    /// changed as new records and clears the ones they replace, which would otherwise stay behind as empty rows), and that
    /// records are written in Orleans' binary format (tiles are most of the stored bytes, and all are read at every start).
    /// </summary>
    public const string ContextTiles = "context-tiles";
}
