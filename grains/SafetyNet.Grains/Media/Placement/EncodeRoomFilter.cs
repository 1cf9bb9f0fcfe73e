using Orleans.Placement;

namespace SafetyNet.Grains.Media.Placement;

/// <summary>
/// A camera's grain is placed only among the silos with room for one more encode, while any has: its stream runs where its
/// grain is active. Orleans' own placement then chooses among them. See <see cref="EncodeRoomFilterDirector"/>.
/// </summary>
public sealed class EncodeRoomFilter() : PlacementFilterStrategy(order: 0);

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class EncodeRoomFilterAttribute() : PlacementFilterAttribute(new EncodeRoomFilter());
