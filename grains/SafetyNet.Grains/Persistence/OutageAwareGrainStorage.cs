using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Persistence;

/// <summary>
/// Grain state in the deployment's database, refused at once while the node knows that database cannot be reached, and
/// given up when the node learns so while the operation waits. Without this a grain activated during a silent outage (a
/// camera first opened, an incident opened) waits out the driver's connect and command timeouts (15–30 s) before it fails
/// anyway, holding the operator's request all that time, and a grain whose write hung (a session's heartbeat) holds every
/// call queued behind it just as long. An operation given up may still reach the database later, as one the cluster's
/// call timeout gave up on may: its caller was told it failed, and a write that did land makes the grain's next write
/// fail its version check, which deactivates the grain so that it reads the state afresh.
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
        Refusal() ?? UntilOutage(inner.ReadStateAsync(stateName, grainId, grainState, cancellationToken));

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        Refusal() ?? UntilOutage(inner.WriteStateAsync(stateName, grainId, grainState, cancellationToken));

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        Refusal() ?? UntilOutage(inner.ClearStateAsync(stateName, grainId, grainState, cancellationToken));

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

    private Task? Refusal() => reachability.DatabaseUnreachableSince is { } since ? Task.FromException(Refused(since)) : null;

    /// <summary>
    /// The operation, or the refusal if an outage begins first (the operation's own outcome is then only observed). One
    /// that waits longer than <see cref="IDatabaseReachability.ProbeAfter"/> has the node check the database: on a node with
    /// no audited action under way, nothing else would find out.
    /// </summary>
    private Task UntilOutage(Task operation)
    {
        if (operation.IsCompleted) return operation;
        var outage = reachability.OutageBegins;
        return WaitAsync();

        async Task WaitAsync()
        {
            using var patience = new CancellationTokenSource();
            var probeDue = Task.Delay(reachability.ProbeAfter, patience.Token);
            var first = await Task.WhenAny(operation, outage, probeDue);
            if (first == probeDue)
            {
                reachability.RequestProbe();
                first = await Task.WhenAny(operation, outage);
            }
            else await patience.CancelAsync();
            if (first == operation)
            {
                await operation;
                return;
            }
            operation.ObserveFault();
            throw Refused(reachability.DatabaseUnreachableSince ?? DateTimeOffset.UtcNow);
        }
    }

    private static DomainException Refused(DateTimeOffset since) => DomainException.DatabaseUnreachable(
        $"This node cannot reach its database (no answer since {since:HH:mm:ss} UTC), so this request, which needs it, was not performed. Retry shortly.");
}
