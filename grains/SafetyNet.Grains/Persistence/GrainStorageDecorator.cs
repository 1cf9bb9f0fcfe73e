using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// A grain storage around another: the calls without a cancellation token pass none, and the inner storage's lifecycle
/// participation goes through (Orleans' own registration resolves the same keyed service, so it reaches the inner storage
/// through the decorator).
/// </summary>
public abstract class GrainStorageDecorator(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    protected IGrainStorage Inner { get; } = inner;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    public abstract Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken);

    public abstract Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken);

    public abstract Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken);

    public void Participate(ISiloLifecycle lifecycle) => (Inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    /// <summary>Replaces the grain storage registered as <paramref name="name"/> with <paramref name="decorate"/> around it.</summary>
    protected static void Wrap(IServiceCollection services, string name, Func<IServiceProvider, IGrainStorage, IGrainStorage> decorate)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
        services.Remove(registered);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => decorate(provider, (IGrainStorage)registered.KeyedImplementationFactory!(provider, key)));
    }
}
