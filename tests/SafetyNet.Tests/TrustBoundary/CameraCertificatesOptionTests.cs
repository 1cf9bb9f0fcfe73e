using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SafetyNet.Contracts.Cameras;

namespace SafetyNet.Tests.TrustBoundary;

/// <summary>Media:StreamUrls:CameraCertificates: a wrong setting stops the node at start, naming it, rather than refusing every camera later.</summary>
public sealed class CameraCertificatesOptionTests
{
    private static string[] Failures(string setting) =>
        [.. new StreamUrlOptions { CameraCertificates = setting }.Validate(new ValidationContext(new object())).Select(r => r.ErrorMessage!)];

    [Theory]
    [InlineData("first-use")]
    [InlineData("any")]
    [InlineData("system")]
    public void The_named_checks_are_accepted(string setting) => Assert.Empty(Failures(setting));

    [Fact]
    public void Certificates_are_pinned_on_first_use_unless_set_otherwise() =>
        Assert.Equal(StreamUrlOptions.FirstUseCertificate, new StreamUrlOptions().CameraCertificates);

    [Fact]
    public void A_file_of_roots_is_accepted_and_a_missing_or_empty_one_is_refused_naming_the_setting()
    {
        var roots = Path.GetTempFileName();
        try
        {
            Assert.Contains(Failures(roots + ".missing"), f => f.Contains("Media:StreamUrls:CameraCertificates") && f.Contains("no such file"));
            File.WriteAllText(roots, "not a certificate");
            Assert.Contains(Failures(roots), f => f.Contains("holds no PEM certificate"));

            using var key = ECDsa.Create();
            using var root = new CertificateRequest("CN=district CA", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
            File.WriteAllText(roots, root.ExportCertificatePem() + "\n");
            Assert.Empty(Failures(roots));
        }
        finally
        {
            File.Delete(roots);
        }
    }
}
