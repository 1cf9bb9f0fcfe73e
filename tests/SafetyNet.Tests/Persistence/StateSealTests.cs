using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Persistence.Sealing;

namespace SafetyNet.Tests.Persistence;

/// <summary>The seal of stored state: what opens, what is refused and why, and how its key file is made and checked.</summary>
public sealed class StateSealTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("safetynet-seal-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private StateSeal SealWith(string key, bool generate = true, params string[] previous) => new(
        Options.Create(new StateSealOptions { KeyPath = Path.Combine(_directory, key), GenerateKey = generate, PreviousKeyPaths = previous.Select(p => Path.Combine(_directory, p)).ToArray() }),
        NullLogger<StateSeal>.Instance);

    [Fact]
    public void A_record_opens_only_in_its_own_place_and_unaltered()
    {
        var seal = SealWith("a.key");
        var plain = Encoding.UTF8.GetBytes("""{"streamUrl":"rtsp://admin:secret@10.0.0.1/live"}""");
        var sealedRecord = seal.Seal(plain, "camera/1");

        Assert.True(StateSeal.IsSealed(sealedRecord));
        Assert.True(sealedRecord.AsSpan().IndexOf("secret"u8) < 0);
        Assert.Equal(plain, seal.Open(sealedRecord, "camera/1"));
        Assert.NotEqual(sealedRecord, seal.Seal(plain, "camera/1")); // a fresh nonce each time

        Assert.Contains("copied from another record", Assert.Throws<StateSealException>(() => seal.Open(sealedRecord, "camera/2")).Message);
        for (var at = 0; at < sealedRecord.Length; at += 7)
        {
            var altered = (byte[])sealedRecord.Clone();
            altered[at] ^= 0x01;
            Assert.Throws<StateSealException>(() => seal.Open(altered, "camera/1"));
        }
        Assert.Contains("not sealed", Assert.Throws<StateSealException>(() => seal.Open(plain, "camera/1")).Message);
        Assert.Throws<StateSealException>(() => seal.Open(sealedRecord.AsSpan(0, 20), "camera/1"));
    }

    [Fact]
    public void A_record_sealed_with_another_key_is_refused_unless_that_key_is_a_previous_one()
    {
        var old = SealWith("old.key");
        var record = old.Seal("state"u8, "district/11020");

        Assert.Contains("key this node does not hold", Assert.Throws<StateSealException>(() => SealWith("new.key").Open(record, "district/11020")).Message);
        var rotated = SealWith("new.key", generate: false, "old.key");
        Assert.Equal("state"u8.ToArray(), rotated.Open(record, "district/11020"));
        Assert.Equal("state"u8.ToArray(), SealWith("new.key").Open(rotated.Seal("state"u8, "district/11020"), "district/11020"));
    }

    [Fact]
    public void The_key_file_is_created_for_the_owner_alone_and_a_missing_or_bad_one_stops_the_node_with_its_path()
    {
        SealWith("made.key");
        var made = Path.Combine(_directory, "made.key");
        Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(made)).Length);
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(made));

        var missing = Assert.Throws<OptionsValidationException>(() => SealWith("cluster.key", generate: false));
        Assert.Contains("cluster.key", missing.Message);
        Assert.Contains("StateSeal:GenerateKey is false", missing.Message);

        File.WriteAllText(Path.Combine(_directory, "short.key"), Convert.ToBase64String(new byte[16]));
        Assert.Contains("32 random bytes", Assert.Throws<OptionsValidationException>(() => SealWith("short.key")).Message);
        File.WriteAllText(Path.Combine(_directory, "text.key"), "not base64 at all!");
        Assert.Contains("text.key", Assert.Throws<OptionsValidationException>(() => SealWith("text.key")).Message);
        var previous = Assert.Throws<OptionsValidationException>(() => SealWith("made.key", true, "old-missing.key")).Message;
        Assert.Contains("StateSeal:PreviousKeyPaths", previous);
        Assert.Contains("old-missing.key", previous);
        Directory.CreateDirectory(Path.Combine(_directory, "a-directory.key"));
        Assert.Contains("cannot be read", Assert.Throws<OptionsValidationException>(() => SealWith("a-directory.key")).Message);
    }
}
