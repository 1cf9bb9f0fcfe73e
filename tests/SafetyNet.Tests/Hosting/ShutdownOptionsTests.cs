using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using SafetyNet.Silo.Configuration;

namespace SafetyNet.Tests.Hosting;

/// <summary>How long a stopping node drains: cluster nodes sit behind a load balancer, the embedded node does not; a wrong value stops the node.</summary>
public sealed class ShutdownOptionsTests
{
    [Theory]
    [InlineData(null, ClusterProvider.Embedded, 0)]
    [InlineData(null, ClusterProvider.Postgres, 10)]
    [InlineData("00:00:03", ClusterProvider.Postgres, 3)]
    [InlineData("00:00:00", ClusterProvider.Postgres, 0)]
    [InlineData("00:00:15", ClusterProvider.Embedded, 15)]
    public void The_drain_is_the_setting_or_else_the_modes_default(string? setting, ClusterProvider mode, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Bind(setting).DrainDelayFor(mode));

    [Theory]
    [InlineData("00:05:00", "between 0 and 2 minutes")]
    [InlineData("-00:00:01", "between 0 and 2 minutes")]
    [InlineData("ten seconds", "DrainDelay")]
    public void A_drain_out_of_range_or_not_a_duration_is_refused_naming_the_setting(string setting, string message)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => Bind(setting));
        Assert.Contains(refused.Failures, failure => failure.Contains(message));
    }

    private static ShutdownOptions Bind(string? drainDelay) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Shutdown:DrainDelay"] = drainDelay })
        .Build()
        .BindValidated<ShutdownOptions>(ShutdownOptions.Section);
}
