using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SafetyNet.Grains.Media.Streams;
using SafetyNet.Grains.Media.Uplink;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Media;

public static class MediaServiceCollectionExtensions
{
    /// <summary>
    /// Registers the relay host (singleton and hosted service) and its options from section "Media". The camera status sink
    /// defaults to one that does nothing; register an <see cref="IRelayStatusSink"/> before or after this call to replace it.
    /// </summary>
    public static IServiceCollection AddSafetyNetMedia(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IRelayStatusSink, NullRelayStatusSink>();
        services.TryAddSingleton<ICpuLoad>(sp => new CpuLoad(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ICameraCertificatePins, GrainCertificatePins>();
        services.TryAddSingleton<CameraUplinks>();
        services.AddSingleton<RelayHost>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayHost>());
        services.AddSingleton<IClockStepFollower>(sp => sp.GetRequiredService<RelayHost>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<MediaFileSweeper>();
        services.AddMetrics();
        services.AddHostedService<StreamMetrics>();
        return services;
    }
}
