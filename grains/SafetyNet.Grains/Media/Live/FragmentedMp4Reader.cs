using SafetyNet.Contracts.Media;

namespace SafetyNet.Grains.Media.Live;

/// <summary>
/// Splits ffmpeg's fragmented MP4 byte stream into the init segment (ftyp+moov) and fragments (moof+mdat), telling the
/// fragments that start with a keyframe. Other top-level boxes (styp, sidx, free) are skipped.
/// </summary>
public sealed class FragmentedMp4Reader(Stream input)
{
    /// <summary>No box of a camera's stream comes near this; a larger one means the input is not what ffmpeg writes.</summary>
    private const long MaxBoxBytes = 64 * 1024 * 1024;

    private readonly byte[] _header = new byte[16];
    private byte[]? _ftyp;
    private byte[]? _moof;
    private uint _trexDefaultFlags;

    /// <summary>The next init segment or fragment; null at the end of the stream.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a fragmented MP4 stream.</exception>
    public async ValueTask<LiveChunk?> ReadAsync(CancellationToken cancellationToken)
    {
        while (await ReadBoxAsync(cancellationToken) is { } box)
        {
            var type = box.AsSpan(4, 4);
            if (Mp4Boxes.TypeIs(type, "ftyp")) _ftyp = box;
            else if (Mp4Boxes.TypeIs(type, "moov"))
            {
                byte[] init = [.. _ftyp ?? [], .. box];
                _trexDefaultFlags = Mp4Track.DefaultSampleFlags(init);
                return LiveChunk.Init(init, Mp4Track.CodecOf(init));
            }
            else if (Mp4Boxes.TypeIs(type, "moof")) _moof = box;
            else if (Mp4Boxes.TypeIs(type, "mdat") && _moof is { } moof)
            {
                _moof = null;
                var keyframe = Mp4Track.StartsWithKeyframe(moof.AsSpan(HeaderLength(moof)), _trexDefaultFlags);
                return LiveChunk.Fragment((byte[])[.. moof, .. box], keyframe);
            }
        }
        return null;
    }

    private static int HeaderLength(byte[] box) => Mp4Boxes.Header(box).HeaderLength;

    /// <summary>One whole top-level box, header included; null at a clean end of the stream.</summary>
    private async ValueTask<byte[]?> ReadBoxAsync(CancellationToken cancellationToken)
    {
        if (!await FillAsync(_header.AsMemory(0, 8), allowEnd: true, cancellationToken)) return null;
        var headerLength = 8;
        if (Mp4Boxes.Header(_header).HeaderLength == 16)
        {
            await FillAsync(_header.AsMemory(8, 8), allowEnd: false, cancellationToken);
            headerLength = 16;
        }
        var size = Mp4Boxes.Header(_header).Size;
        if (size < headerLength || size > MaxBoxBytes)
            throw new InvalidDataException($"An MP4 box of {size} bytes: not a fragmented MP4 stream.");
        var box = new byte[size];
        _header.AsSpan(0, headerLength).CopyTo(box);
        await FillAsync(box.AsMemory(headerLength), allowEnd: false, cancellationToken);
        return box;
    }

    private async ValueTask<bool> FillAsync(Memory<byte> buffer, bool allowEnd, CancellationToken cancellationToken)
    {
        var read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read == buffer.Length) return true;
        if (read == 0 && allowEnd) return false;
        throw new InvalidDataException("The fragmented MP4 stream ended inside a box.");
    }
}
