using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using SafetyNet.Api.Contracts;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Api.Endpoints;

/// <summary>
/// The compact camera list's response bodies for the newest catalog version: JSON, brotli and gzip, each with its ETag.
/// Encoding 68,000 cameras takes tens of milliseconds, so it is done once per version, not once per sign-in.
/// Compressing is safe here (unlike responses carrying tokens): the body holds no secret and nothing the caller sent.
/// </summary>
public sealed class CompactCameraBodies
{
    private readonly Lock _gate = new();
    private EncodedList? _current;

    public EncodedList For(CompactCameraList list)
    {
        lock (_gate)
        {
            if (_current?.Version != list.Version) _current = EncodedList.From(list);
            return _current;
        }
    }

    /// <summary>br when accepted, else gzip, else none (null): a coding with q=0 is refused, as is every coding when identity is all that is asked.</summary>
    public static string? PreferredEncoding(IList<StringWithQualityHeaderValue> acceptEncoding)
    {
        bool Accepts(string coding) => acceptEncoding.Any(e =>
            (e.Value.Equals(coding, StringComparison.OrdinalIgnoreCase) || e.Value == "*") && (e.Quality ?? 1) > 0);
        return Accepts("br") ? "br" : Accepts("gzip") ? "gzip" : null;
    }

    public sealed class EncodedList
    {
        private readonly (byte[] Bytes, string ETag) _json, _brotli, _gzip;

        private EncodedList(long version, byte[] json)
        {
            Version = version;
            var tag = Convert.ToHexStringLower(SHA256.HashData(json))[..20];
            _json = (json, $"\"{tag}\"");
            _brotli = (Compress(json, s => new BrotliStream(s, CompressionLevel.Optimal)), $"\"{tag}-br\"");
            _gzip = (Compress(json, s => new GZipStream(s, CompressionLevel.Optimal)), $"\"{tag}-gz\"");
        }

        public long Version { get; }

        public static EncodedList From(CompactCameraList list) =>
            new(list.Version, JsonSerializer.SerializeToUtf8Bytes(CompactCameraColumns.From(list), JsonSerializerOptions.Web));

        public (byte[] Bytes, string ETag) Encoded(string? encoding) => encoding switch
        {
            "br" => _brotli,
            "gzip" => _gzip,
            _ => _json,
        };

        private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
        {
            using var output = new MemoryStream();
            using (var stream = compressor(output)) stream.Write(data);
            return output.ToArray();
        }
    }
}
