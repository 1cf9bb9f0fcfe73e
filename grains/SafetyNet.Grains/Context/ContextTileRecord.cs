namespace SafetyNet.Grains.Context;

/// <summary>
/// One stored version of one tile of a layer. Every import writes the tiles it changed as new versions and names them in
/// the layer's record only when all are written, so the layer's record switches from the old tiles to the new in one write.
/// Version 0 is the one unversioned record per tile that layers were stored in before versions.
/// </summary>
[GenerateSerializer, Immutable, Alias("context-tile-record")]
public sealed record ContextTileRecord([property: Id(0)] string Tile, [property: Id(1)] long Version);
