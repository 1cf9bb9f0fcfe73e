using System.Reflection;
using System.Text.Json;
using SafetyNet.Api.Import;
using SafetyNet.Contracts.Access;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Contracts.Errors;
using SafetyNet.Contracts.Media;

namespace SafetyNet.Tests.DashboardUi;

/// <summary>
/// Every decision reason, every reason a lease ends, and every reason of a "not now" refusal, the server can send has the
/// dashboard's own words in both languages: without them an operator reads the server's English explanation, or a bare code, in the Korean console.
/// So does every reason a camera import rejects a row for, and every rule a camera URL is refused by.
/// </summary>
public sealed class DecisionReasonStringsTests
{
    [Theory]
    [InlineData("ko")]
    [InlineData("en")]
    public void Every_decision_reason_has_a_dashboard_string(string language)
    {
        var path = Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", $"{language}.json");
        var strings = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var codes = new[] { typeof(DecisionReasons), typeof(LeaseEndReasons), typeof(RefusalReasons), typeof(CameraStatusCauses) }.SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        Assert.Contains(DecisionReasons.MasksLost, codes);
        Assert.Contains(RefusalReasons.NodeBusyEncoding, codes);
        Assert.Contains(LeaseEndReasons.EncodeYielded, codes);
        Assert.Contains(CameraStatusCauses.Unreachable, codes);

        var missing = codes.Where(code => !strings.TryGetProperty($"reason.{code}", out var text) || string.IsNullOrWhiteSpace(text.GetString())).ToArray();
        Assert.True(missing.Length == 0, $"{language}.json has no reason.* string for: {string.Join(", ", missing)}");
    }

    /// <summary>A camera offline by someone's hand (not its relay's) says whose: an admin, an import, a guard of the node.</summary>
    [Theory]
    [InlineData("ko")]
    [InlineData("en")]
    public void Every_status_setter_but_the_relay_has_a_dashboard_string(string language)
    {
        var path = Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", $"{language}.json");
        var strings = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var setters = typeof(CameraStatusSetters).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(setter => setter != CameraStatusSetters.Relay)
            .ToArray();
        Assert.Contains(CameraStatusSetters.Admin, setters);

        var missing = setters.Where(setter => !strings.TryGetProperty($"cameraStatus.setBy.{setter}", out var text) || string.IsNullOrWhiteSpace(text.GetString())).ToArray();
        Assert.True(missing.Length == 0, $"{language}.json has no cameraStatus.setBy.* string for: {string.Join(", ", missing)}");
    }

    [Theory]
    [InlineData("ko", typeof(ImportRejections), "importRejection")]
    [InlineData("en", typeof(ImportRejections), "importRejection")]
    [InlineData("ko", typeof(ImportRefusals), "importRefusal")]
    [InlineData("en", typeof(ImportRefusals), "importRefusal")]
    [InlineData("ko", typeof(UrlRefusals), "urlRefusal")]
    [InlineData("en", typeof(UrlRefusals), "urlRefusal")]
    public void Every_import_rejection_refusal_and_url_rule_has_a_dashboard_string(string language, Type codesOf, string prefix)
    {
        var path = Path.Combine(DashboardFixture.RepositoryRoot(), "silo", "dashboard", "src", "i18n", $"{language}.json");
        var strings = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        var codes = codesOf.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToArray();
        Assert.NotEmpty(codes);

        var missing = codes.Where(code => !strings.TryGetProperty($"{prefix}.{code}", out var text) || string.IsNullOrWhiteSpace(text.GetString())).ToArray();
        Assert.True(missing.Length == 0, $"{language}.json has no {prefix}.* string for: {string.Join(", ", missing)}");
    }
}
