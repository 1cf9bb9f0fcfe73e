using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// Wraps one of the node's grain storages and passes every call on, except that a test can hold a write: the writer waits,
/// half-way through its work, until the test lets it go. "While a layer is being imported" then becomes a point a test
/// stops at, not a race it hopes to win (a loaded CI machine finished a 4,000-tile import before a query sent during it
/// came back).
/// </summary>
public sealed class HoldableGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private StorageHold? _hold;

    /// <summary>Replaces the storage registered under <paramref name="name"/> with this wrapper around it.</summary>
    public static void Wrap(IServiceCollection services, string name)
    {
        var own = services.SingleOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"No grain storage named '{name}' is registered.");
        var create = own.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The grain storage '{name}' is not registered through a factory, so it cannot be wrapped.");
        services.Remove(own);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new HoldableGrainStorage((IGrainStorage)create(provider, key)));
    }

    /// <summary>
    /// The first write to a record that <paramref name="records"/> picks, after <paramref name="passing"/> such writes have
    /// gone through, waits until the hold is released or disposed; so does every one after it.
    /// </summary>
    public StorageHold Hold(Func<GrainId, bool> records, int passing = 0)
    {
        var hold = new StorageHold(records, passing, () => Interlocked.Exchange(ref _hold, null));
        if (Interlocked.CompareExchange(ref _hold, hold, null) is not null) throw new InvalidOperationException("A hold is already in place.");
        return hold;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_hold is { } hold) await hold.WaitIfHeldAsync(grainId);
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

/// <summary>A hold on a storage's writes (<see cref="HoldableGrainStorage.Hold"/>); disposing it releases the writers.</summary>
public sealed class StorageHold(Func<GrainId, bool> records, int passing, Action remove) : IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _passing = passing;

    /// <summary>Completes when a writer is waiting.</summary>
    public Task Reached => _reached.Task;

    internal Task WaitIfHeldAsync(GrainId grainId)
    {
        if (!records(grainId) || Interlocked.Decrement(ref _passing) >= 0) return Task.CompletedTask;
        _reached.TrySetResult();
        return _released.Task;
    }

    public void Dispose()
    {
        remove();
        _released.TrySetResult();
    }
}
