using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SafetyNet.Contracts.Reviews;
using SafetyNet.Grains.Audit;

namespace SafetyNet.Grains.Reviews;

/// <summary>
/// Signs and checks reports with the node's checkpoint key (ECDSA P-256, SHA-256, DER, base64). A JSON report is
/// signed whole and its signature travels beside it ("keyId:base64"); a CSV or HTML report ends with one signature line
/// that signs every byte before that line, so <c>sed '$d'</c> recovers the signed part offline.
/// </summary>
public static partial class ReviewSignatures
{
    public const string Marker = "safetynet-signature";

    public static string Detached(CheckpointSigner signer, byte[] content) => $"{signer.PublicKey.KeyId}:{Convert.ToBase64String(signer.SignDocument(content))}";

    /// <summary>The content followed by its signature line: <c>#safetynet-signature,keyId,sig</c> (CSV) or an HTML comment.</summary>
    public static byte[] WithSignatureLine(CheckpointSigner signer, string format, byte[] content, out string signature)
    {
        signature = Detached(signer, content);
        var (keyId, value) = Split(signature)!.Value;
        var line = format == ReviewFormats.Csv ? $"#{Marker},{keyId},{value}\n" : $"<!-- {Marker} {keyId} {value} -->\n";
        return [.. content, .. Encoding.UTF8.GetBytes(line)];
    }

    public static ReviewVerification Verify(CheckpointKeyRing ring, byte[] document, string? detachedSignature)
    {
        var end = document.Length > 0 && document[^1] == (byte)'\n' ? document.Length - 1 : document.Length;
        var lastLineStart = Array.LastIndexOf(document, (byte)'\n', Math.Max(0, end - 1)) + 1;
        var lastLine = Encoding.UTF8.GetString(document, lastLineStart, end - lastLineStart);
        if (SignatureLine().Match(lastLine) is { Success: true } line)
        {
            var format = lastLine.StartsWith('#') ? ReviewFormats.Csv : ReviewFormats.Html;
            return Check(ring, document[..lastLineStart], line.Groups["key"].Value, line.Groups["sig"].Value, format);
        }
        if (detachedSignature is null)
            return new(false, "The document has no signature line, and no detached signature was given (a JSON report's signature travels beside it: the X-SafetyNet-Signature header of its download).", null, ReviewFormats.Json);
        return Split(detachedSignature) is { } detached
            ? Check(ring, document, detached.KeyId, detached.Value, ReviewFormats.Json)
            : new(false, "The detached signature is not 'keyId:base64'.", null, ReviewFormats.Json);
    }

    private static ReviewVerification Check(CheckpointKeyRing ring, byte[] signed, string keyId, string value, string format)
    {
        var key = ring.Keys.FirstOrDefault(k => k.KeyId == keyId);
        if (key is null) return new(false, $"Key {keyId} is not one this node trusts (GET /api/v1/audit/checkpoint-keys lists them).", keyId, format);
        byte[] signature;
        try { signature = Convert.FromBase64String(value); }
        catch (FormatException) { return new(false, "The signature is not base64.", keyId, format); }
        return key.Key.VerifyData(signed, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence)
            ? new(true, $"The signature by key {keyId} matches every signed byte: the report is as it was produced.", keyId, format)
            : new(false, $"The signature by key {keyId} does not match the content: the report was altered after it was signed, or the signature belongs to another report.", keyId, format);
    }

    private static (string KeyId, string Value)? Split(string signature) =>
        signature.Split(':', 2) is [var keyId, var value] && keyId.Length > 0 && value.Length > 0 ? (keyId, value) : null;

    [GeneratedRegex(@"^(#safetynet-signature,(?<key>[0-9a-f]{16}),(?<sig>[A-Za-z0-9+/=]+)|<!-- safetynet-signature (?<key>[0-9a-f]{16}) (?<sig>[A-Za-z0-9+/=]+) -->)\r?$")]
    private static partial Regex SignatureLine();
}
