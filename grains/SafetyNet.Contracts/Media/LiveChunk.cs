namespace SafetyNet.Contracts.Media;

/// <summary>
/// One piece of a camera's low-latency stream (fragmented MP4): the init segment (ftyp+moov, with the MSE codec string of its
/// track) or one fragment (moof+mdat), which may start with a keyframe. Never serialized: it travels within the node only,
/// from its relay to its WebSocket viewers.
/// </summary>
public sealed record LiveChunk(ReadOnlyMemory<byte> Bytes, bool IsInit, bool IsKeyframe, string? Codec)
{
    public static LiveChunk Init(ReadOnlyMemory<byte> bytes, string? codec) => new(bytes, IsInit: true, IsKeyframe: false, codec);

    public static LiveChunk Fragment(ReadOnlyMemory<byte> bytes, bool keyframe) => new(bytes, IsInit: false, keyframe, Codec: null);
}
