using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Signing;

namespace SafetyNet.Grains.Persistence.Sealing;

/// <summary>
/// Seals stored state with AES-256-GCM under a key the database never holds: whoever can read the database (a DBA, a stolen
/// backup, the SQLite file) cannot read what is sealed, such as camera credentials, and whoever can write it cannot forge,
/// alter or move a sealed record. Each record is bound to where it belongs (its context: the grain and state name, the
/// registry and grant), so a record copied onto another's place does not open either.
/// Layout: magic "SNS1", the sealing key's 8-byte id, a 12-byte nonce, the 16-byte tag, the ciphertext.
/// </summary>
public sealed class StateSeal
{
    private static readonly byte[] Magic = "SNS1"u8.ToArray();
    private const int KeyIdSize = 8;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly int HeaderSize = Magic.Length + KeyIdSize + NonceSize + TagSize;

    private readonly SealingKey _current;
    private readonly IReadOnlyList<SealingKey> _keys;

    public StateSeal(IOptions<StateSealOptions> options, ILogger<StateSeal> logger)
    {
        var o = options.Value;
        _current = SealingKey.LoadOrCreate(o.KeyPath, "StateSeal:KeyPath", o.GenerateKey, logger);
        _keys = [_current, .. o.PreviousKeyPaths.Select(path => SealingKey.LoadOrCreate(path, "StateSeal:PreviousKeyPaths", generate: false, logger))];
        AcceptsUnsealed = o.AcceptUnsealedState;
    }

    /// <summary>Whether state stored before sealing is read (an upgrade); see <see cref="StateSealOptions.AcceptUnsealedState"/>.</summary>
    public bool AcceptsUnsealed { get; }

    public static bool IsSealed(ReadOnlySpan<byte> stored) => stored.StartsWith(Magic);

    public byte[] Seal(ReadOnlySpan<byte> plain, string context)
    {
        var sealedRecord = new byte[HeaderSize + plain.Length];
        var span = sealedRecord.AsSpan();
        Magic.CopyTo(span);
        _current.Id.CopyTo(span[Magic.Length..]);
        var nonce = span.Slice(Magic.Length + KeyIdSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Secret, TagSize);
        aes.Encrypt(nonce, plain, span[HeaderSize..], span.Slice(Magic.Length + KeyIdSize + NonceSize, TagSize), Encoding.UTF8.GetBytes(context));
        return sealedRecord;
    }

    /// <summary>The plain record; <see cref="StateSealException"/> when it is not sealed, sealed by an unknown key, or altered or moved.</summary>
    public byte[] Open(ReadOnlySpan<byte> stored, string context)
    {
        if (!IsSealed(stored) || stored.Length < HeaderSize) throw new StateSealException(context, "it is not sealed");
        var keyId = stored.Slice(Magic.Length, KeyIdSize).ToArray();
        var key = _keys.FirstOrDefault(k => keyId.AsSpan().SequenceEqual(k.Id))
            ?? throw new StateSealException(context, $"it is sealed with a key this node does not hold (id {Convert.ToHexString(keyId)})");
        var plain = new byte[stored.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(key.Secret, TagSize);
            aes.Decrypt(stored.Slice(Magic.Length + KeyIdSize, NonceSize), stored[HeaderSize..],
                stored.Slice(Magic.Length + KeyIdSize + NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(context));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new StateSealException(context, "its seal does not match: it was altered, or copied from another record");
        }
        return plain;
    }

    private sealed record SealingKey(byte[] Id, byte[] Secret)
    {
        private const int SecretSize = 32;

        public static SealingKey LoadOrCreate(string path, string setting, bool generate, ILogger logger)
        {
            // A directory (a secret's mount point named instead of the file in it) is named as unreadable, not created over.
            if (!Path.Exists(path))
            {
                if (!generate)
                    throw Invalid($"{setting}: '{path}' does not exist" + (setting == "StateSeal:KeyPath" ? " and StateSeal:GenerateKey is false" : "") +
                                  ". Every node of a cluster needs the same key: create it once (head -c 32 /dev/urandom | base64 > FILE; chmod 600 FILE) " +
                                  "and give each node a copy.");
                SecretFile.CreateNew(path, Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretSize)));
                logger.LogWarning("Generated a new state sealing key at {Path} (mode 600). Keep it outside the database's reach and back it up: " +
                                  "stored state cannot be read without it", path);
            }
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw Invalid($"{setting}: '{path}' cannot be read ({e.Message}).");
            }
            var secret = new byte[text.Length];
            if (!Convert.TryFromBase64String(text.Trim(), secret, out var length) || length != SecretSize)
                throw Invalid($"{setting}: '{path}' must hold {SecretSize} random bytes in base64 (head -c 32 /dev/urandom | base64).");
            return new SealingKey(SHA256.HashData(secret.AsSpan(0, length))[..KeyIdSize], secret[..length]);
        }

        private static OptionsValidationException Invalid(string failure) =>
            new(StateSealOptions.Section, typeof(StateSealOptions), [failure]);
    }
}
