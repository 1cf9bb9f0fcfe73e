namespace SafetyNet.Grains.Media.Placement;

/// <summary>
/// Whether a node has CPU for one more encode (<see cref="MediaOptions.NewEncodeCpuLimit"/>): its recent CPU share (null
/// before it is known), that share with one more encode at what its running encodes cost, and the answer.
/// </summary>
[GenerateSerializer, Immutable, Alias("encode-room")]
public sealed record EncodeRoom([property: Id(0)] double? Busy, [property: Id(1)] double WithOneMore, [property: Id(2)] bool HasRoom);
