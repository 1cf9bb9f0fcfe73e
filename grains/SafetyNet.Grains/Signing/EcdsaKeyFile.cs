using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Signing;

/// <summary>
/// A node's ECDSA P-256 private key in a PEM file: loaded, or created (mode 600) on first start when allowed. The key is
/// read from and written to this file only, never to the database, and never leaves the node.
/// </summary>
public static class EcdsaKeyFile
{
    /// <param name="setting">The configuration key naming the file (e.g. "Audit:SigningKeyPath"), for messages.</param>
    /// <param name="generateSetting">The configuration key that allows creating it.</param>
    /// <param name="what">What the key signs, for messages (e.g. "audit checkpoint").</param>
    public static ECDsa LoadOrCreate(string path, bool generate, string setting, string generateSetting, string what, Type optionsType, ILogger logger)
    {
        var section = setting.Split(':')[0];
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
                throw new OptionsValidationException(section, optionsType, [$"{setting}: '{path}' is not an ECDSA P-256 private key in PEM ({e.Message})."]);
            }
        }
        if (!generate)
            throw new OptionsValidationException(section, optionsType,
                [$"{setting}: '{path}' does not exist and {generateSetting} is false; provision the node's {what} key there."]);
        var generated = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        SecretFile.CreateNew(path, generated.ExportPkcs8PrivateKeyPem());
        logger.LogWarning("Generated a new {What} signing key at {Path} (mode 600). Keep it outside the database's reach and back it up", what, path);
        return generated;
    }

    /// <summary>PEM public keys from files an operator provisioned; one that cannot be read stops the node with its path.</summary>
    public static IReadOnlyList<CheckpointPublicKey> LoadPublicKeys(IEnumerable<string> paths, string setting, Type optionsType) =>
        paths.Select(path =>
        {
            try { return CheckpointPublicKey.FromPem(File.ReadAllText(path)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                throw new OptionsValidationException(setting.Split(':')[0], optionsType,
                    [$"{setting}: '{path}' is not a readable ECDSA P-256 public key in PEM ({e.Message})."]);
            }
        }).ToList();
}
