using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Audit;
using SafetyNet.Grains.Evidence;

namespace SafetyNet.Tests.Evidence;

/// <summary>The manifest's canonical form, its signature, and what verification catches, without a node.</summary>
public sealed class EvidenceManifestTests : IDisposable
{
    private static readonly byte[] Clip = Encoding.ASCII.GetBytes("not really an mp4, but bytes all the same");
    private readonly string _folder = Directory.CreateTempSubdirectory("evidence-unit-").FullName;
    private readonly EvidenceKeys _keys;

    public EvidenceManifestTests()
    {
        _keys = new EvidenceKeys(Options.Create(new EvidenceOptions { SigningKeyPath = Path.Combine(_folder, "key.pem"), Directory = _folder }),
            NullLogger<EvidenceKeys>.Instance);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_canonical_form_is_one_compact_byte_string_that_parses_back_to_itself()
    {
        var bytes = Manifest().ToCanonicalJson();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("""{"format":"safetynet-evidence/1","exportId":"ev-""", text);
        Assert.Contains("\"from\":\"2026-03-01T01:02:03.123Z\"", text);
        Assert.Contains("\"sha256\":\"" + Convert.ToHexStringLower(SHA256.HashData(Clip)) + "\",\"name\":\"clip.mp4\"", text);
        Assert.DoesNotContain("서울", text);
        Assert.Contains("\\uC11C\\uC6B8", text);
        Assert.Equal(bytes, EvidenceManifest.Parse(bytes, out var problem)!.ToCanonicalJson());
        Assert.Null(problem);
    }

    [Fact]
    public void A_reformatted_or_extended_manifest_is_not_accepted()
    {
        var text = Encoding.UTF8.GetString(Manifest().ToCanonicalJson());
        Assert.Null(EvidenceManifest.Parse(Encoding.UTF8.GetBytes(text.Replace(",\"", ", \"")), out var spaced));
        Assert.Contains("canonical", spaced);
        Assert.Null(EvidenceManifest.Parse(Encoding.UTF8.GetBytes(text.Replace("{\"format\"", "{\"extra\":1,\"format\"")), out var extended));
        Assert.NotNull(extended);
        Assert.Null(EvidenceManifest.Parse("[]"u8, out _));
    }

    [Fact]
    public void A_signed_bundle_verifies_and_each_alteration_names_the_check_that_failed()
    {
        var bundle = Bundle();
        Assert.True(EvidenceVerifier.Verify(bundle, _keys.Trusted).Valid);

        var flipped = Bundle();
        flipped["clip.mp4"][3] ^= 0x01;
        Assert.StartsWith("file:clip.mp4", EvidenceVerifier.Verify(flipped, _keys.Trusted).Failure);

        var edited = Bundle();
        edited["manifest.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(edited["manifest.json"]).Replace("robbery", "roberry"));
        Assert.StartsWith("signature", EvidenceVerifier.Verify(edited, _keys.Trusted).Failure);

        var extra = Bundle();
        extra["notes.txt"] = [1];
        Assert.StartsWith("contents", EvidenceVerifier.Verify(extra, _keys.Trusted).Failure);

        var missing = Bundle();
        missing.Remove("clip.mp4");
        Assert.StartsWith("file:clip.mp4", EvidenceVerifier.Verify(missing, _keys.Trusted).Failure);

        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.StartsWith("signature", EvidenceVerifier.Verify(bundle, [CheckpointPublicKey.From(stranger)]).Failure);
    }

    [Fact]
    public void The_key_file_is_created_mode_600_and_loaded_again_as_the_same_key()
    {
        var path = Path.Combine(_folder, "key.pem");
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var again = new EvidenceKeys(Options.Create(new EvidenceOptions { SigningKeyPath = path, Directory = _folder }), NullLogger<EvidenceKeys>.Instance);
        Assert.Equal(_keys.PublicKey.KeyId, again.PublicKey.KeyId);
    }

    private Dictionary<string, byte[]> Bundle()
    {
        var manifest = Manifest() with { KeyId = _keys.PublicKey.KeyId };
        var bytes = manifest.ToCanonicalJson();
        return new Dictionary<string, byte[]>
        {
            ["manifest.json"] = bytes, ["manifest.sig"] = _keys.Sign(bytes), ["clip.mp4"] = [.. Clip],
        };
    }

    private static EvidenceManifest Manifest() => new(EvidenceManifest.CurrentFormat, "ev-0123456789abcdef0123456789abcdef", "clip", "cam-1", "11020",
        new DateTimeOffset(2026, 3, 1, 10, 2, 3, 123, TimeSpan.FromHours(9)).AddTicks(4567), new DateTimeOffset(2026, 3, 1, 1, 2, 7, TimeSpan.Zero),
        "inc-1", "crime-investigation", "armed robbery near 서울 station", new EvidenceExporter("seoul-112", "op-7"), [],
        new DateTimeOffset(2026, 3, 1, 1, 2, 8, TimeSpan.Zero), "", [new EvidenceFile(Convert.ToHexStringLower(SHA256.HashData(Clip)), "clip.mp4", Clip.Length)]);
}
