using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Grain state in the deployment's database, behind the <see cref="DatabaseOutageGuard"/>: without it a grain activated
/// during a silent outage (a camera first opened, an incident opened) waits out the driver's timeouts before it fails
/// anyway, and a grain whose write hung (a session's heartbeat) holds every call queued behind it just as long. A write
/// given up that did land makes the grain's next write fail its version check, which deactivates the grain so that it
/// reads the state afresh.
/// </summary>
public sealed class OutageAwareGrainStorage(IGrainStorage inner, DatabaseOutageGuard guard) : GrainStorageDecorator(inner)
{
    public override Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        guard.Run(token => Inner.ReadStateAsync(stateName, grainId, grainState, token), cancellationToken);

    public override Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        guard.Run(token => Inner.WriteStateAsync(stateName, grainId, grainState, token), cancellationToken);

    public override Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        guard.Run(token => Inner.ClearStateAsync(stateName, grainId, grainState, token), cancellationToken);

    /// <summary>Wraps the grain storage registered as <paramref name="name"/>.</summary>
    public static void Wrap(IServiceCollection services, string name) =>
        Wrap(services, name, (provider, inner) => new OutageAwareGrainStorage(inner, provider.GetRequiredService<DatabaseOutageGuard>()));
}
