using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SafetyNet.Grains.Media;
using SafetyNet.Grains.Media.Uplink;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Tests.Media;

public sealed class MediaRegistrationTests
{
    [Fact]
    public async Task The_relay_host_is_one_singleton_that_is_also_the_hosted_service_and_follows_the_clocks_steps()
    {
        await using var services = Build(new() { ["Media:WorkingDirectory"] = "/tmp/safetynet-media-registration", ["Media:SegmentSeconds"] = "2" });

        var host = services.GetRequiredService<RelayHost>();

        Assert.Contains(host, services.GetServices<IHostedService>());
        Assert.Same(host, Assert.Single(services.GetServices<IClockStepFollower>()));
        Assert.IsType<NullRelayStatusSink>(services.GetRequiredService<IRelayStatusSink>());
        Assert.IsType<CpuLoad>(services.GetRequiredService<ICpuLoad>());
        var options = services.GetRequiredService<IOptions<MediaOptions>>().Value;
        Assert.Equal(2, options.SegmentSeconds);
        Assert.Matches("^[A-Za-z0-9._-]+-[0-9a-f]{8}$", options.NodeTag);
    }

    [Fact]
    public void Two_working_directories_on_one_machine_get_different_node_tags() =>
        Assert.NotEqual(new MediaOptions { WorkingDirectory = "/srv/node-a/media" }.NodeTag, new MediaOptions { WorkingDirectory = "/srv/node-b/media" }.NodeTag);

    [Theory]
    [InlineData("Media:WorkingDirectory", "")]
    [InlineData("Media:SetprivPath", "")]
    [InlineData("Media:NodeTag", "has:colon")]
    [InlineData("Media:SegmentSeconds", "0")]
    [InlineData("Media:FirstRequestWait", "00:00:00")]
    [InlineData("Media:NewEncodeCpuLimit", "1.5")]
    [InlineData("Media:NewEncodeCpuLimit", "0")]
    public void Bad_settings_are_refused_with_the_setting_named(string key, string value)
    {
        using var services = Build(new() { ["Media:WorkingDirectory"] = "/tmp/safetynet-media-registration", [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<MediaOptions>>().Value);
        Assert.Contains(key.Split(':')[1], error.Message);
    }

    [Fact]
    public void A_status_sink_registered_by_the_silo_replaces_the_default()
    {
        var collection = new ServiceCollection().AddLogging();
        collection.AddSingleton<IRelayStatusSink, RecordingStatusSink>();
        collection.AddSafetyNetMedia(Configuration(new() { ["Media:WorkingDirectory"] = "/tmp/safetynet-media-registration" }));
        using var services = collection.BuildServiceProvider();

        Assert.IsType<RecordingStatusSink>(services.GetRequiredService<IRelayStatusSink>());
    }

    [Fact]
    public void Certificates_are_pinned_in_the_cameras_pin_grains_unless_a_host_registers_its_own()
    {
        var collection = new ServiceCollection().AddLogging().AddSafetyNetMedia(Configuration(new() { ["Media:WorkingDirectory"] = "/tmp/safetynet-media-registration" }));
        Assert.Equal(typeof(GrainCertificatePins), Assert.Single(collection, d => d.ServiceType == typeof(ICameraCertificatePins)).ImplementationType);
    }

    // Outside a silo there is no grain factory: the uplinks keep their pins in memory here.
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddLogging().AddSingleton<ICameraCertificatePins, HeldCertificatePins>().AddSafetyNetMedia(Configuration(settings)).BuildServiceProvider();

    private static IConfiguration Configuration(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
}
