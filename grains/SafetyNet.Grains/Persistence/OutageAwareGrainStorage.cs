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
public sealed class OutageAwareGrainStorage(IGrainStorage inner, DatabaseOutageGuard guard)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        guard.Run(token => inner.ReadStateAsync(stateName, grainId, grainState, token), cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        guard.Run(token => inner.WriteStateAsync(stateName, grainId, grainState, token), cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        guard.Run(token => inner.ClearStateAsync(stateName, grainId, grainState, token), cancellationToken);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Wraps the grain storage registered as <paramref name="name"/>.</summary>
    public static void Wrap(IServiceCollection services, string name) =>
        GrainStorageDecorator.Wrap(services, name, (provider, inner) => new OutageAwareGrainStorage(inner, provider.GetRequiredService<DatabaseOutageGuard>()));
}
