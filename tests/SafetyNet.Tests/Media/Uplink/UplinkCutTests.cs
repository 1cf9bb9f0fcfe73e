using System.Reflection;
using SafetyNet.Contracts.Cameras;
using SafetyNet.Grains.Media.Uplink;

namespace SafetyNet.Tests.Media.Uplink;

/// <summary>Each way the node cuts a camera off is a cause of its own when the camera goes offline for it, and a console words each.</summary>
public sealed class UplinkCutTests
{
    private static readonly string[] Causes = [.. typeof(CameraStatusCauses).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!)];

    [Fact]
    public void Every_kind_of_cut_is_a_distinct_status_cause()
    {
        var causes = UplinkCut.Kinds.Select(kind => new UplinkCut(kind, "why").StatusCause).ToArray();

        Assert.All(causes, cause => Assert.Contains(cause, Causes));
        Assert.Equal(causes.Length, causes.Distinct().Count());
        Assert.Equal(CameraStatusCauses.CertificateChanged, UplinkCut.Certificate("pinned another").StatusCause);
        Assert.Equal(CameraStatusCauses.Unreachable, UplinkCut.Unreachable("no answer").StatusCause);
    }

    [Theory]
    [InlineData("relay", "relay")]
    [InlineData("import", "import")]
    [InlineData("masks-guard", "masks-guard")]
    [InlineData("stream-url-policy", "stream-url-policy")]
    [InlineData("control-jung/camera-admin", "admin")]
    [InlineData("safetynet-ops/root", "admin")]
    [InlineData(null, null)]
    public void A_status_set_by_a_person_is_shown_as_set_by_an_admin_and_a_systems_by_its_name(string? actor, string? shown) =>
        Assert.Equal(shown, CameraStatusSetters.Of(actor));
}
