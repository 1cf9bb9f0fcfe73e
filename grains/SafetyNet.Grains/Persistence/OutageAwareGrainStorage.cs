using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using SafetyNet.Contracts.Errors;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Grain state in the deployment's database, refused at once while the node knows that database cannot be reached. Without
/// this a grain activated during a silent outage (a camera first opened, an incident opened) waits out the driver's connect
/// and command timeouts (15–30 s) before it fails anyway, holding the operator's request all that time; with it the request
/// gets the same 503 as the audited actions, within milliseconds. Nothing is sent, so no write is left half-known.
/// </summary>
public sealed class OutageAwareGrainStorage(IGrainStorage inner, IDatabaseReachability reachability)
    : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        Refusal() ?? inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        Refusal() ?? inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        Refusal() ?? inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>
    /// Wraps the grain storage registered as <paramref name="name"/> (Orleans' own registration, whose lifecycle participant
    /// resolves the same keyed service and so reaches the inner storage through <see cref="Participate"/>).
    /// </summary>
    public static void Wrap(IServiceCollection services, string name)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new OutageAwareGrainStorage(
            (IGrainStorage)registered.KeyedImplementationFactory!(provider, key), provider.GetRequiredService<IDatabaseReachability>()));
    }

    private Task? Refusal() => reachability.DatabaseUnreachableSince is { } since
        ? Task.FromException(DomainException.DatabaseUnreachable(
            $"This node cannot reach its database (no answer since {since:HH:mm:ss} UTC), so this request, which needs it, was not performed. Retry shortly."))
        : null;
}
