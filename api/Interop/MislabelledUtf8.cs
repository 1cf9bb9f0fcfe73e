using System.Buffers;
using System.Text;

namespace SafetyNet.Api.Interop;

/// <summary>
/// A body declared EUC-KR whose bytes are valid UTF-8 with some non-ASCII text was saved as UTF-8 and labelled out of
/// habit: real CP949 Hangul is never valid UTF-8, since its lead bytes (0xB0-0xC8) are UTF-8 continuation bytes. Such a
/// body is read as UTF-8. Any other body keeps its declared charset (ASCII reads the same in both).
/// </summary>
public static class MislabelledUtf8
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The canonical charset (<see cref="BodyCharsets.Canonical"/>) to read this whole body in, given the one it is declared in.</summary>
    public static string ReadAs(string declared, ReadOnlySpan<byte> body)
    {
        if (declared != BodyCharsets.Korean) return declared;
        var scan = new Utf8Scan();
        scan.Add(body, final: true);
        return scan.IsUtf8Text ? BodyCharsets.Utf8 : declared;
    }

    /// <summary>As <see cref="ReadAs"/> for a body in a stream, read as far as needed to decide; the caller rewinds it.</summary>
    public static async Task<string> ReadAsAsync(string declared, Stream body, CancellationToken cancellationToken)
    {
        if (declared != BodyCharsets.Korean) return declared;
        var scan = new Utf8Scan();
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, ChunkBytes), cancellationToken)) > 0)
                if (!scan.Add(buffer.AsSpan(0, read), final: false)) return declared;
            scan.Add([], final: true);
            return scan.IsUtf8Text ? BodyCharsets.Utf8 : declared;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Bytes fed in order: whether they are all valid UTF-8, and whether any is not ASCII.</summary>
    private sealed class Utf8Scan
    {
        private readonly Decoder _decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        private readonly char[] _chars = new char[ChunkBytes];
        private bool _valid = true;
        private bool _nonAscii;

        public bool IsUtf8Text => _valid && _nonAscii;

        /// <summary>Feeds the next bytes; false once the bytes so far are not valid UTF-8.</summary>
        public bool Add(ReadOnlySpan<byte> bytes, bool final)
        {
            if (!_valid) return false;
            _nonAscii |= !Ascii.IsValid(bytes);
            try
            {
                bool completed;
                do
                {
                    _decoder.Convert(bytes, _chars, final, out var bytesUsed, out _, out completed);
                    bytes = bytes[bytesUsed..];
                } while (!completed);
            }
            catch (DecoderFallbackException)
            {
                _valid = false;
            }
            return _valid;
        }
    }
}
