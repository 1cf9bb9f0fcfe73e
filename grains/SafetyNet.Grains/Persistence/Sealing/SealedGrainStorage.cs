using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;
using SafetyNet.Contracts.Errors;
using SafetyNet.Grains.Observability;

namespace SafetyNet.Grains.Persistence.Sealing;

/// <summary>
/// Grain state sealed before it reaches the database (<see cref="StateSeal"/>): a district's catalog holds camera
/// credentials and its sharing policy, a camera its privacy masks and leases, a session its agency. Read back, a record
/// that does not open (forged, altered, copied from another grain, unsealed) is refused: the grain does not activate, and
/// the request that needed it is answered 503 naming the record, with a critical log and a count.
/// </summary>
public sealed class SealedGrainStorage(IGrainStorage inner, IGrainStorageSerializer json, StateSeal seal, SafetyNetMetrics metrics, ILogger<SealedGrainStorage> logger)
    : GrainStorageDecorator(inner)
{
    public override async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var stored = new GrainState<SealedPayload>();
        await Inner.ReadStateAsync(stateName, grainId, stored, cancellationToken);
        grainState.ETag = stored.ETag;
        grainState.RecordExists = stored.RecordExists;
        if (stored.State is not { Bytes.Length: > 0 } payload)
        {
            grainState.State = Activator.CreateInstance<T>();
            return;
        }
        var context = Context(stateName, grainId);
        if (!StateSeal.IsSealed(payload.Bytes) && seal.AcceptsUnsealed)
        {
            grainState.State = json.Deserialize<T>(new BinaryData(payload.Bytes)) ?? Activator.CreateInstance<T>();
            // Sealed as soon as it is read, so an upgrade does not wait for each grain's next change.
            var resealed = new GrainState<SealedPayload>(new SealedPayload(seal.Seal(payload.Bytes, context)), stored.ETag) { RecordExists = true };
            await Inner.WriteStateAsync(stateName, grainId, resealed, cancellationToken);
            grainState.ETag = resealed.ETag;
            logger.LogWarning("Read the unsealed state of {Context} (StateSeal:AcceptUnsealedState) and sealed it", context);
            return;
        }
        try
        {
            grainState.State = json.Deserialize<T>(new BinaryData(seal.Open(payload.Bytes, context))) ?? Activator.CreateInstance<T>();
        }
        catch (StateSealException refused)
        {
            metrics.StoredStateRefused();
            logger.LogCritical("{Reason}", refused.Message);
            throw DomainException.StateRefused(refused.Message);
        }
    }

    public override async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var plain = json.Serialize(grainState.State).ToMemory();
        var stored = new GrainState<SealedPayload>(new SealedPayload(seal.Seal(plain.Span, Context(stateName, grainId))), grainState.ETag)
        {
            RecordExists = grainState.RecordExists,
        };
        await Inner.WriteStateAsync(stateName, grainId, stored, cancellationToken);
        grainState.ETag = stored.ETag;
        grainState.RecordExists = stored.RecordExists;
    }

    public override async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var stored = new GrainState<SealedPayload>(null!, grainState.ETag) { RecordExists = grainState.RecordExists };
        await Inner.ClearStateAsync(stateName, grainId, stored, cancellationToken);
        grainState.ETag = stored.ETag;
        grainState.RecordExists = stored.RecordExists;
        grainState.State = Activator.CreateInstance<T>();
    }

    /// <summary>What a record is bound to: its grain and state name. A record copied onto another grain's row does not open.</summary>
    public static string Context(string stateName, GrainId grainId) => $"grain state {stateName} of {grainId}";

    /// <summary>Wraps the grain storage registered as <paramref name="name"/>.</summary>
    public static void Wrap(IServiceCollection services, string name) =>
        Wrap(services, name, (provider, inner) => new SealedGrainStorage(inner, provider.GetRequiredService<IGrainStorageSerializer>(),
            provider.GetRequiredService<StateSeal>(), provider.GetRequiredService<SafetyNetMetrics>(), provider.GetRequiredService<ILogger<SealedGrainStorage>>()));
}
