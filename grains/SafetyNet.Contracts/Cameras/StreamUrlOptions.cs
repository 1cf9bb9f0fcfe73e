using System.ComponentModel.DataAnnotations;

namespace SafetyNet.Contracts.Cameras;

/// <summary>
/// Section "Media:StreamUrls": which camera stream URLs the node accepts and will fetch. Checked when a URL is stored
/// (PATCH, import) and again, with the host resolved, before ffmpeg is started on it.
/// </summary>
public sealed class StreamUrlOptions : IValidatableObject
{
    public const string Section = "Media:StreamUrls";

    private static readonly string[] NetworkSchemes = ["rtsp", "rtsps", "http", "https"];

    /// <summary>Comma-separated URL schemes a camera may use; only network protocols ffmpeg pulls video over are possible.</summary>
    [Required]
    public string Schemes { get; set; } = "rtsp,rtsps";

    /// <summary>127.0.0.0/8, ::1 and "localhost": refused unless set (the test suite's RTSP camera runs on loopback).</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>169.254.0.0/16 and fe80::/10 (the cloud metadata addresses stay refused even then).</summary>
    public bool AllowLinkLocal { get; set; }

    /// <summary>224.0.0.0/4 and ff00::/8.</summary>
    public bool AllowMulticast { get; set; }

    /// <summary>
    /// How the certificate of a camera reached over TLS (an RTSPS or HTTPS stream, an ONVIF device over HTTPS) is checked:
    /// <c>first-use</c> (the default: cameras mostly sign their own, so the certificate a camera presents first at a host and
    /// port is pinned and any other is refused there until its district forgets that pin),
    /// <c>any</c> (as ffmpeg did: encrypted but not authenticated, so someone on the path reads the stream and the
    /// credentials), <c>system</c> (the machine's trusted roots, and the camera's name or address in its certificate), or
    /// the path of a PEM file of the roots to trust instead (a district's own CA).
    /// </summary>
    [Required]
    public string CameraCertificates { get; set; } = FirstUseCertificate;

    public const string FirstUseCertificate = "first-use";
    public const string AnyCertificate = "any";
    public const string SystemCertificates = "system";

    public IReadOnlyList<string> AllowedSchemes =>
        Schemes.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => s.ToLowerInvariant()).ToArray();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AllowedSchemes.Count == 0)
            yield return new ValidationResult($"{Section}:Schemes names no scheme; set e.g. \"rtsp,rtsps\".", [nameof(Schemes)]);
        foreach (var scheme in AllowedSchemes.Where(s => !NetworkSchemes.Contains(s)))
            yield return new ValidationResult(
                $"{Section}:Schemes holds '{scheme}'; only {string.Join(", ", NetworkSchemes)} may be allowed (a file or generated input is never a camera).",
                [nameof(Schemes)]);
        if (CameraCertificates is not (FirstUseCertificate or AnyCertificate or SystemCertificates) && TrustedRootsProblem(CameraCertificates) is { } problem)
            yield return new ValidationResult($"{Section}:CameraCertificates is '{CameraCertificates}': {problem}", [nameof(CameraCertificates)]);
    }

    /// <summary>Why a PEM file of trusted roots cannot be used, or null when it can.</summary>
    private static string? TrustedRootsProblem(string path)
    {
        if (!File.Exists(path)) return $"no such file; set '{FirstUseCertificate}', '{AnyCertificate}', '{SystemCertificates}', or the path of a PEM file of the roots to trust.";
        try
        {
            var roots = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            roots.ImportFromPemFile(path);
            return roots.Count == 0 ? "the file holds no PEM certificate." : null;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            return $"the file is not PEM certificates ({e.Message}).";
        }
    }
}
