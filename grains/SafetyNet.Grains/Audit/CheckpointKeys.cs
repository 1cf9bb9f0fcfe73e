using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SafetyNet.Grains.Audit;

/// <summary>
/// Loads this node's checkpoint signing key from its file (creating it, mode 600, on first start when allowed) and the
/// public keys it trusts. Nothing here is read from or written to the database.
/// </summary>
public sealed class CheckpointKeys
{
    public CheckpointKeys(IOptions<AuditCheckpointOptions> options, ILogger<CheckpointKeys> logger)
    {
        var o = options.Value;
        var privateKey = LoadOrCreate(o.SigningKeyPath, o.GenerateSigningKey, logger);
        Signer = new CheckpointSigner(privateKey);
        var trusted = o.TrustedPublicKeys.Select(path =>
        {
            try { return CheckpointPublicKey.FromPem(File.ReadAllText(path)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                throw new OptionsValidationException(AuditCheckpointOptions.Section, typeof(AuditCheckpointOptions),
                    [$"Audit:TrustedPublicKeys: '{path}' is not a readable ECDSA P-256 public key in PEM ({e.Message})."]);
            }
        });
        Ring = new CheckpointKeyRing([Signer.PublicKey, .. trusted]);
    }

    public CheckpointSigner Signer { get; }

    public CheckpointKeyRing Ring { get; }

    private static ECDsa LoadOrCreate(string path, bool generate, ILogger logger)
    {
        if (File.Exists(path))
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(path));
                if (key.KeySize != 256) throw new CryptographicException($"the key has {key.KeySize} bits, not 256");
                return key;
            }
            catch (Exception e) when (e is ArgumentException or CryptographicException)
            {
                key.Dispose();
                throw new OptionsValidationException(AuditCheckpointOptions.Section, typeof(AuditCheckpointOptions),
                    [$"Audit:SigningKeyPath: '{path}' is not an ECDSA P-256 private key in PEM ({e.Message})."]);
            }
        }
        if (!generate)
            throw new OptionsValidationException(AuditCheckpointOptions.Section, typeof(AuditCheckpointOptions),
                [$"Audit:SigningKeyPath: '{path}' does not exist and Audit:GenerateSigningKey is false; provision the node's checkpoint key there."]);
        var generated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = OperatingSystem.IsWindows()
            ? new FileStream(path, FileMode.CreateNew, FileAccess.Write)
            : new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = mode }))
        using (var writer = new StreamWriter(file))
            writer.Write(generated.ExportPkcs8PrivateKeyPem());
        logger.LogWarning("Generated a new audit checkpoint signing key at {Path} (mode 600). Keep it outside the database's reach and back it up", path);
        return generated;
    }
}
