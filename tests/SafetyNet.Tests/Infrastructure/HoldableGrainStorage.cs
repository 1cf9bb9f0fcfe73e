using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace SafetyNet.Tests.Infrastructure;

/// <summary>
/// Wraps one of the node's grain storages and passes every call on, except the calls a test holds (<see cref="StorageHolds"/>):
/// the caller waits, half-way through its work, until the test lets it go or fails it. "While a layer is being imported"
/// or "while a layer is being read back" then becomes a point a test stops at, not a race it hopes to win (a loaded CI
/// machine finished a 4,000-tile import before a query sent during it came back).
/// </summary>
public sealed class HoldableGrainStorage(IGrainStorage inner, StorageHolds holds) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Replaces the storage registered under <paramref name="name"/> with this wrapper around it, held by <paramref name="holds"/>.</summary>
    public static void Wrap(IServiceCollection services, string name, StorageHolds holds)
    {
        var own = services.SingleOrDefault(d => d.IsKeyedService && d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, name))
            ?? throw new InvalidOperationException($"No grain storage named '{name}' is registered.");
        var create = own.KeyedImplementationFactory
            ?? throw new InvalidOperationException($"The grain storage '{name}' is not registered through a factory, so it cannot be wrapped.");
        services.Remove(own);
        services.AddKeyedSingleton<IGrainStorage>(name, (provider, key) => new HoldableGrainStorage((IGrainStorage)create(provider, key), holds));
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await holds.WaitIfHeldAsync(StorageCall.Write, grainId);
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await holds.WaitIfHeldAsync(StorageCall.Read, grainId);
        await inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);
}

public enum StorageCall
{
    Read,
    Write,
}

/// <summary>The hold in place on a <see cref="HoldableGrainStorage"/>, if any; one at a time.</summary>
public sealed class StorageHolds
{
    private StorageHold? _current;

    /// <summary>
    /// The first <paramref name="call"/> of a record that <paramref name="records"/> picks, after <paramref name="passing"/>
    /// such calls have gone through, waits until the hold is disposed or failed; so does every one after it.
    /// </summary>
    public StorageHold Hold(StorageCall call, Func<GrainId, bool> records, int passing = 0)
    {
        StorageHold? hold = null;
        hold = new StorageHold(call, records, passing, () => Interlocked.CompareExchange(ref _current, null, hold));
        if (Interlocked.CompareExchange(ref _current, hold, null) is not null) throw new InvalidOperationException("A hold is already in place.");
        return hold;
    }

    internal Task WaitIfHeldAsync(StorageCall call, GrainId grainId) => Volatile.Read(ref _current)?.WaitIfHeldAsync(call, grainId) ?? Task.CompletedTask;
}

/// <summary>A hold on some of a storage's calls; disposing it lets the waiting callers go on, and removes it.</summary>
public sealed class StorageHold(StorageCall call, Func<GrainId, bool> records, int passing, Action remove) : IDisposable
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _passing = passing;

    /// <summary>Completes when a caller is waiting.</summary>
    public Task Reached => _reached.Task;

    /// <summary>The waiting callers, and every held call after them until the hold is disposed, fail with <paramref name="error"/>.</summary>
    public void Fail(Exception error) => _released.TrySetException(error);

    internal Task WaitIfHeldAsync(StorageCall made, GrainId grainId)
    {
        if (made != call || !records(grainId) || Interlocked.Decrement(ref _passing) >= 0) return Task.CompletedTask;
        _reached.TrySetResult();
        return _released.Task;
    }

    public void Dispose()
    {
        remove();
        _released.TrySetResult();
    }
}
